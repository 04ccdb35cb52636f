package io.modelyard.portal.keys;

import io.modelyard.auth.ApiKeyRequests;
import io.modelyard.auth.ApiKeyScope;
import io.modelyard.auth.ApiKeyService;
import io.modelyard.auth.ApiKeyView;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.FormValidation;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.RestForm;

/** API keys: create (the secret shown once), scopes, rotate, revoke, last used. */
@Path("/portal/t/{tenant}/api-keys")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class ApiKeyPages {

    @CheckedTemplate(basePath = "portal/keys")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, Page<ApiKeyView> keys, List<String> scopes, String after);

        static native TemplateInstance secret(ApiKeyView key, String title);
    }

    private final PortalSession session;
    private final ApiKeyService keys;
    private final FormValidation validation;
    private final PlatformClock clock;
    private final PortalConfig config;

    ApiKeyPages(PortalSession session, ApiKeyService keys, FormValidation validation, PlatformClock clock,
            PortalConfig config) {
        this.session = session;
        this.keys = keys;
        this.validation = validation;
        this.clock = clock;
        this.config = config;
    }

    @GET
    public TemplateInstance list(@QueryParam("after") String after) {
        Chrome chrome = session.tenantPage("keys");
        List<String> scopes = Arrays.stream(ApiKeyScope.values()).map(ApiKeyScope::wireName).toList();
        return Templates.list(chrome, keys.list(new PageRequest(config.pageSize(), after), true), scopes, after);
    }

    /** Creates a key and shows its secret, once: nothing stores it but the person who copies it now. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance create(@RestForm String name, @RestForm("scopes") List<String> scopes,
            @RestForm("expires_in_days") String expiresInDays) {
        session.tenantPage("keys");
        ApiKeyRequests.CreateApiKey request = validation.valid(
                new ApiKeyRequests.CreateApiKey(name, scopes(scopes), expiry(expiresInDays)));
        return Templates.secret(keys.create(request, null).body(), "Your new API key");
    }

    @POST
    @Path("{id}/rotate")
    public TemplateInstance rotate(@PathParam("id") String id) {
        session.tenantPage("keys");
        return Templates.secret(keys.rotate(id, new ApiKeyRequests.RotateApiKey(null, null), null).body(),
                "The replacement key (the old one keeps working for 24 hours)");
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@PathParam("id") String id, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("keys");
        keys.revoke(id);
        return Htmx.redirect(headers, chrome.base() + "/api-keys");
    }

    private static Set<ApiKeyScope> scopes(List<String> names) {
        Set<ApiKeyScope> scopes = new LinkedHashSet<>();
        for (String name : names == null ? List.<String>of() : names) {
            scopes.add(ApiKeyScope.fromWire(name));
        }
        return scopes;
    }

    private Instant expiry(String days) {
        if (days == null || days.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(days.strip());
            if (n < 1 || n > 3650) {
                throw new NumberFormatException();
            }
            return clock.now().plus(Duration.ofDays(n));
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("expires_in_days", "must be a number of days from 1 to 3650");
        }
    }
}
