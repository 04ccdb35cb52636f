package io.modelyard.serving.oip;

import io.modelyard.common.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The protocol's error object is {@code {"error": "<message>"}}; ours is problem+json. Every problem answered
 * under {@code /v2} carries both: the RFC 9457 members and an {@code error} member holding the detail, so
 * inference clients that read {@code error} and clients that read problem+json are both served.
 */
public class OipErrors {

    @ServerResponseFilter
    public void addErrorMember(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem) || problem.extensions().containsKey("error")) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (!path.equals("/v2") && !path.startsWith("/v2/")) {
            return;
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("error", problem.detail());
        extensions.putAll(problem.extensions());
        response.setEntity(new Problem(problem.type(), problem.title(), problem.status(), problem.detail(),
                problem.instance(), extensions));
    }
}
