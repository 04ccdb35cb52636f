package io.modelyard.serving.batch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;

/** A succeeded batch prediction's result file as an HTTP download, streamed: for the API and the portal alike. */
@ApplicationScoped
public class BatchResultDownloads {

    private final BatchPredictionService batch;
    private final BatchResults results;

    BatchResultDownloads(BatchPredictionService batch, BatchResults results) {
        this.batch = batch;
        this.results = results;
    }

    /**
     * The file with its size and name; 404 for another tenant's or an unknown id, 409 before the job succeeded,
     * 410 once the retention deleted it. Reading it to the end checks its SHA-256.
     */
    public Response download(String id) {
        BatchResults.Download download = batch.result(id);
        StreamingOutput body = out -> {
            try (InputStream in = results.open(download)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, download.format().mediaType())
                .header("Content-Length", download.size())
                .header("Content-Disposition", "attachment; filename=\"" + download.filename() + "\"")
                .build();
    }
}
