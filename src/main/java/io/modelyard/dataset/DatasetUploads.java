package io.modelyard.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Idempotency;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetRequests.UploadOptions;
import io.modelyard.dataset.upload.MultipartReader;
import io.modelyard.dataset.upload.UploadBody;
import io.modelyard.storage.BlobStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;

/**
 * Receives dataset uploads from an HTTP body as it streams in — a raw CSV or JSON Lines body, or a multipart
 * form with an {@code options} part then the {@code file} part — for the API and the portal alike. Nothing is
 * held whole in memory. A refusal before the body's end asks the connection to close, so the client stops
 * sending instead of the server reading the rest of a body it has refused.
 */
@ApplicationScoped
public class DatasetUploads {

    /** Multipart framing (boundaries, part headers, the options part) allowed on top of the plan's upload limit. */
    static final long MULTIPART_OVERHEAD = UploadQuery.MAX_OPTIONS_BYTES + 16 * 1024;

    /**
     * A received upload.
     *
     * @param keepAlive false when the body was not read to its end (parts after the file beyond
     *                  {@link MultipartReader#TRAILING_PARTS_LIMIT}): the answer must close the connection
     */
    public record Received(Idempotency.Outcome<DatasetView> outcome, boolean keepAlive) {
    }

    private final DatasetService datasets;
    private final ObjectMapper json;

    DatasetUploads(DatasetService datasets, ObjectMapper json) {
        this.datasets = datasets;
        this.json = json;
    }

    /** A raw CSV or JSON Lines body, with its options already parsed (from the query string). */
    Idempotency.Outcome<DatasetView> raw(InputStream in, UploadOptions options, String contentType,
            Long contentLength, String idempotencyKey) {
        long declared = contentLength == null ? -1 : contentLength;
        UploadBody body = new UploadBody(in, declared);
        return streamed(body, () -> {
            DatasetService.Admission admission = datasets.admit(declared);
            return datasets.upload(admission, new DatasetService.Upload(options, contentType, null, declared), body,
                    idempotencyKey);
        });
    }

    /**
     * A {@code multipart/form-data} body: an optional {@code options} JSON part, then the {@code file} part. Parts
     * after the file are not ours: up to {@link MultipartReader#TRAILING_PARTS_LIMIT} are read so the connection
     * can be reused, and beyond that the body is left unread (the answer then closes the connection).
     */
    public Received multipart(InputStream in, String contentType, Long contentLength, String idempotencyKey) {
        long declared = contentLength == null ? -1 : contentLength;
        UploadBody body = new UploadBody(in, declared);
        boolean[] drained = {true};
        Idempotency.Outcome<DatasetView> outcome = streamed(body, () -> {
            DatasetService.Admission admission = datasets.admit(declared < 0 ? -1
                    : Math.max(0, declared - MULTIPART_OVERHEAD));
            MultipartReader parts = MultipartReader.open(body, contentType);
            UploadOptions options = null;
            MultipartReader.Part part;
            while ((part = parts.next()) != null) {
                if ("options".equals(part.name())) {
                    options = UploadQuery.json(part.content(), json);
                } else if ("file".equals(part.name())) {
                    Idempotency.Outcome<DatasetView> stored = datasets.upload(admission, new DatasetService.Upload(
                            options, part.contentType(), part.filename(), -1), part.content(), idempotencyKey);
                    drained[0] = parts.skipRemainingParts();
                    return stored;
                } else {
                    throw OptionsResolver.invalid(String.valueOf(part.name()),
                            "is not a part of a dataset upload (send 'options', then 'file')");
                }
            }
            throw OptionsResolver.invalid("file", "part is missing (send 'options', then 'file')");
        });
        return new Received(outcome, drained[0]);
    }

    private interface Upload {
        Idempotency.Outcome<DatasetView> run() throws IOException;
    }

    private static Idempotency.Outcome<DatasetView> streamed(UploadBody body, Upload upload) {
        try {
            return upload.run();
        } catch (ProblemException e) {
            throw body.refusal(e);
        } catch (IOException e) {
            if (body.failed()) {
                throw body.incomplete();
            }
            // Not the client's body: the blob store failed while the upload was written to it.
            throw new BlobStoreException("Could not store the upload", e);
        }
    }
}
