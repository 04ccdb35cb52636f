package io.modelyard.storage.encryption;

import io.modelyard.common.ProblemException;
import io.modelyard.common.ProblemResponses;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request that was already running when its tenant's erasure destroyed the data key (every later request is
 * refused at authentication) gets 410 {@code tenant-erased}: the data is gone on purpose, so neither a 500
 * nor a retryable 503 would tell the truth.
 */
public class DataKeyDestroyedProblems {

    @ServerExceptionMapper(priority = 1)
    public Response erased(DataKeyDestroyedException e, UriInfo uri) {
        return ProblemResponses.of(new ProblemException(410, "tenant-erased", "Tenant erased",
                "This tenant was erased: its data can no longer be read or written."), uri.getPath());
    }
}
