package io.modelyard.storage;

import io.modelyard.common.ProblemException;
import java.util.Map;

/**
 * A write went past its byte limit and was aborted; nothing was kept. A problem (413
 * {@code payload-too-large}) so the HTTP layer can answer it directly; {@code max_bytes} names the limit.
 * When the limit was a tenant's storage quota rather than the upload limit, the caller rethrows its own problem.
 */
public class BlobTooLargeException extends ProblemException {

    private final long maxBytes;

    public BlobTooLargeException(long maxBytes) {
        super(413, "payload-too-large", "Payload too large",
                "The content is larger than the limit of " + maxBytes + " bytes; nothing was stored.",
                Map.of("max_bytes", maxBytes), Map.of());
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
