package io.modelyard.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** A worker process serves no public API: it only claims jobs and answers the API's internal calls. */
public class RoleGateFilter {

    private final PlatformConfig platform;

    RoleGateFilter(PlatformConfig platform) {
        this.platform = platform;
    }

    @ServerRequestFilter(preMatching = true)
    public void refusePublicApiOnWorkers(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!platform.role().servesPublicApi() && PublicApiPaths.isPublicApi(path)) {
            throw new ProblemException(404, "not-served-here", "Not found",
                    "This process runs the '" + platform.role().name().toLowerCase()
                            + "' role and serves no public API.");
        }
    }
}
