package io.modelyard.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetRequests.UploadOptions;
import io.modelyard.dataset.DatasetService;
import io.modelyard.dataset.DatasetVersionView;
import io.modelyard.dataset.DatasetView;
import io.modelyard.dataset.schema.ColumnMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI files are the tenant's datasets: an uploaded {@code fine-tune} file becomes a text-classification dataset
 * through {@link DatasetService} (the same validation, cleaning, profile, splits, storage quota, usage and audit
 * as any upload), and every dataset can be named as a file. The file id is the dataset id.
 */
@ApplicationScoped
class OpenAiFiles {

    static final String PURPOSE = "fine-tune";
    static final String FILENAME_KEY = "openai_filename";

    private final DatasetService datasets;
    private final ObjectMapper json;

    OpenAiFiles(DatasetService datasets, ObjectMapper json) {
        this.datasets = datasets;
        this.json = json;
    }

    /** Converts the uploaded JSON Lines (see {@link FineTuneFileFormat}) and stores it as a new dataset. */
    OpenAiViews.FileObject upload(Path uploaded, String filename, String purpose, String idempotencyKey) {
        if (purpose == null || purpose.isBlank()) {
            throw ProblemException.invalidField("purpose", "is required: 'fine-tune'").with("param", "purpose");
        }
        if (!PURPOSE.equals(purpose)) {
            throw ProblemException.badRequest("invalid-purpose", "Modelyard accepts files for purpose 'fine-tune'"
                    + " only, not '" + purpose + "'.").with("param", "purpose");
        }
        if (uploaded == null) {
            throw ProblemException.invalidField("file", "is required").with("param", "file");
        }
        String name = filename == null || filename.isBlank() ? "upload.jsonl" : filename;
        Path converted = null;
        try {
            converted = Files.createTempFile("openai-file-", ".jsonl");
            try (InputStream in = Files.newInputStream(uploaded); OutputStream out = Files.newOutputStream(converted)) {
                new FineTuneFileFormat(json).convert(in, out);
            }
            long size = Files.size(converted);
            DatasetService.Admission admission = datasets.admit(size);
            UploadOptions options = new UploadOptions(datasetName(name), "text_classification", "jsonl", null,
                    ColumnMap.text("text", "label"), null, null, Map.of(FILENAME_KEY, name, "openai_purpose", PURPOSE));
            try (InputStream in = Files.newInputStream(converted)) {
                Idempotency.Outcome<DatasetView> outcome = datasets.upload(admission,
                        new DatasetService.Upload(options, "application/x-ndjson", name, size), in, idempotencyKey);
                return file(outcome.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (converted != null) {
                try {
                    Files.deleteIfExists(converted);
                } catch (IOException e) {
                    // a temporary file; the JVM's temp directory is swept by the OS
                }
            }
        }
    }

    OpenAiViews.ListOf<OpenAiViews.FileObject> list(String after, Integer limit, String purpose) {
        if (purpose != null && !PURPOSE.equals(purpose)) {
            return OpenAiViews.ListOf.of(java.util.List.of(), false, OpenAiViews.FileObject::id);
        }
        Page<DatasetView> page = datasets.list(new PageRequest(limit == null ? 100 : limit, after), null);
        return OpenAiViews.ListOf.of(page.data().stream().map(OpenAiFiles::file).toList(), page.hasMore(),
                OpenAiViews.FileObject::id);
    }

    OpenAiViews.FileObject get(String id) {
        return file(datasets.get(id));
    }

    OpenAiViews.Deleted delete(String id) {
        datasets.delete(id);
        return new OpenAiViews.Deleted(id, "file", true);
    }

    static OpenAiViews.FileObject file(DatasetView d) {
        DatasetVersionView latest = d.latestVersion();
        long bytes = latest != null && latest.raw() != null ? latest.raw().sizeBytes() : d.storedBytes();
        String filename = d.metadata() != null && d.metadata().containsKey(FILENAME_KEY)
                ? d.metadata().get(FILENAME_KEY) : d.name();
        String status = "ready".equals(d.status()) ? "processed" : "error";
        return new OpenAiViews.FileObject(d.id(), "file", bytes, OpenAiViews.seconds(d.createdAt()), null, filename,
                PURPOSE, status, null);
    }

    private static String datasetName(String filename) {
        String base = filename.replaceFirst("\\.[^.]+$", "").toLowerCase(Locale.ROOT);
        return base.isBlank() ? "openai-file" : base;
    }
}
