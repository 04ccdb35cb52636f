package io.modelyard.openai;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.model.spec.Architecture;
import io.modelyard.tenant.TenantContext;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /openai/v1/models}: the architectures a job can start from (owned by {@code modelyard}) and the tenant's
 * fine-tuned models (the registry's, owned by the tenant).
 */
@Path("/openai/v1/models")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "openai")
public class OpenAiModelResource {

    /** The architectures have no creation time of their own: the platform's first release. */
    static final long BASE_CREATED = 1_767_225_600L;
    private static final int MAX_LISTED = 1000;

    private final ModelRegistry models;
    private final TenantContext context;

    OpenAiModelResource(ModelRegistry models, TenantContext context) {
        this.models = models;
        this.context = context;
    }

    @GET
    @Operation(summary = "List the architectures and your fine-tuned models")
    @APIResponse(responseCode = "200", description = "A list of model objects")
    public OpenAiViews.ListOf<OpenAiViews.Model> list() {
        String tenant = context.requireTenant();
        List<OpenAiViews.Model> data = new ArrayList<>();
        for (Architecture a : Architecture.values()) {
            data.add(new OpenAiViews.Model(a.wireName(), "model", BASE_CREATED, "modelyard"));
        }
        String after = null;
        do {
            Page<ModelView> page = models.list(new PageRequest(PageRequest.MAX_LIMIT, after), null);
            page.data().forEach(m -> data.add(model(m, tenant)));
            after = page.hasMore() ? page.nextCursor() : null;
        } while (after != null && data.size() < MAX_LISTED);
        return OpenAiViews.ListOf.of(data, false, OpenAiViews.Model::id);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a model: an architecture or one of your models")
    @APIResponse(responseCode = "200", description = "The model object")
    public OpenAiViews.Model get(@PathParam("id") String id) {
        String tenant = context.requireTenant();
        for (Architecture a : Architecture.values()) {
            if (a.wireName().equals(id)) {
                return new OpenAiViews.Model(a.wireName(), "model", BASE_CREATED, "modelyard");
            }
        }
        return model(models.get(id), tenant);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete one of your fine-tuned models")
    @APIResponse(responseCode = "200", description = "{id, object: model, deleted: true}")
    public OpenAiViews.Deleted delete(@PathParam("id") String id) {
        for (Architecture a : Architecture.values()) {
            if (a.wireName().equals(id)) {
                throw ProblemException.forbidden("base-model", "The architecture " + id + " is not yours to delete.");
            }
        }
        models.delete(id);
        return new OpenAiViews.Deleted(id, "model", true);
    }

    private static OpenAiViews.Model model(ModelView m, String tenant) {
        return new OpenAiViews.Model(m.id(), "model", OpenAiViews.seconds(m.createdAt()), tenant);
    }
}
