package io.modelyard.portal;

import io.modelyard.common.PlatformConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the HTTP layer does for every portal response, whoever produced it (a page, a static asset, the sign-in
 * redirect, an error): security headers, and a 404 on processes that serve no public API (workers).
 *
 * <p>The Content-Security-Policy allows scripts and styles from this origin only — no inline script, no
 * {@code eval} — so that an injected string can never run. Forms may post here and to the identity provider
 * (signing out ends the Keycloak session through a redirect).
 */
@ApplicationScoped
class PortalHttpPolicy {

    static final String STATIC_PREFIX = "/webjars/";

    private final boolean served;
    private final String contentSecurityPolicy;

    PortalHttpPolicy(PlatformConfig platform, @ConfigProperty(name = "quarkus.oidc.portal.auth-server-url") URI idp) {
        this.served = platform.role().servesPublicApi();
        String idpOrigin = idp.getScheme() + "://" + idp.getAuthority();
        this.contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                + "form-action 'self' " + idpOrigin;
    }

    void install(@Observes Router router) {
        router.route().order(-100).handler(this::apply);
    }

    private void apply(RoutingContext routing) {
        String path = routing.normalizedPath();
        boolean portal = path.equals(PortalRequestFilter.PORTAL) || path.startsWith(PortalRequestFilter.PORTAL + "/");
        if (!portal && !path.startsWith(STATIC_PREFIX)) {
            routing.next();
            return;
        }
        if (!served) {
            routing.response().setStatusCode(404).putHeader("Content-Type", "text/plain")
                    .end("This process serves no portal.");
            return;
        }
        HttpServerResponse response = routing.response();
        HttpServerRequest request = routing.request();
        routing.addHeadersEndHandler(ignored -> {
            response.putHeader("Content-Security-Policy", contentSecurityPolicy);
            response.putHeader("X-Content-Type-Options", "nosniff");
            response.putHeader("X-Frame-Options", "DENY");
            response.putHeader("Referrer-Policy", "same-origin");
            response.putHeader("Cross-Origin-Opener-Policy", "same-origin");
            response.putHeader("Cross-Origin-Resource-Policy", "same-origin");
            response.putHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
            if (request.isSSL() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"))) {
                response.putHeader("Strict-Transport-Security", "max-age=31536000");
            }
            String type = response.headers().get("Content-Type");
            if (portal && !response.headers().contains("Cache-Control")
                    && (type == null || type.startsWith("text/html") || type.startsWith("text/event-stream"))) {
                // Pages show one tenant's data to one person: never kept by a shared cache or the back button.
                response.putHeader("Cache-Control", "no-store");
            }
        });
        routing.next();
    }
}
