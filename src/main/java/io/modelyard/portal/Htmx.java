package io.modelyard.portal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The few parts of htmx's protocol the portal speaks: who is asking, and where to go next. */
public final class Htmx {

    static final String REQUEST = "HX-Request";
    static final String REDIRECT = "HX-Redirect";

    private Htmx() {
    }

    static boolean isRequest(ContainerRequestContext request) {
        return "true".equals(request.getHeaderString(REQUEST));
    }

    /** Sends the browser to {@code path} after a form post: htmx follows HX-Redirect, a plain form the 303. */
    public static Response redirect(HttpHeaders headers, String path) {
        if ("true".equals(headers.getHeaderString(REQUEST))) {
            return Response.noContent().header(REDIRECT, path).build();
        }
        return Response.seeOther(URI.create(path)).build();
    }
}
