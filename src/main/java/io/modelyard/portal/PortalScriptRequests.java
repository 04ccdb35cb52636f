package io.modelyard.portal;

import io.quarkus.oidc.JavaScriptRequestChecker;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the sign-in mechanism which portal requests come from scripts (htmx, the upload, event streams): when
 * their session has ended they get a 499 that portal.js answers by reloading the page, instead of a redirect to
 * Keycloak that a script cannot follow.
 */
@ApplicationScoped
class PortalScriptRequests implements JavaScriptRequestChecker {

    @Override
    public boolean isJavaScriptRequest(RoutingContext context) {
        String accept = context.request().getHeader("Accept");
        return "true".equals(context.request().getHeader(Htmx.REQUEST))
                || accept != null && accept.contains("text/event-stream");
    }
}
