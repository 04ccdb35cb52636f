package io.modelyard.serving.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.model.NewModel;
import io.modelyard.model.ServableModel;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.InferenceResult;
import io.modelyard.serving.ModelRef;
import io.modelyard.serving.PredictRequest;
import io.modelyard.serving.PredictionList;
import io.modelyard.serving.ServingConfig;
import io.modelyard.serving.engine.LoadOptions;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.serving.runtime.LocalInference;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobKeys;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The benchmark's door ({@code bench/predict.sh}), served only with {@code modelyard.serving.bench.enabled=true}
 * and never in production: it has no authentication at all.
 * <ul>
 * <li>{@code POST /bench/tenants/{tenant_id}/models?name=} registers an artifact (the request body) for a tenant
 * through the model registry, as a training job would; the benchmark has no training job to run.</li>
 * <li>{@code POST /bench/tenants/{tenant_id}/models/{id}/serve} makes a model the tenant trained through the API
 * (an image model of {@code bench/images.sh}) callable at the plain-HTTP door below.</li>
 * <li>{@code POST /bench/models/{id}/predict} is the plain-HTTP baseline: the same body and answer as
 * {@code /v1/models/{id}/predict} and the same engine (cache, batching), without authentication, tenant, model
 * lookup, quota or metering.</li>
 * </ul>
 */
@Path("/bench")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class BenchResource {

    private final ServingConfig config;
    private final PlatformConfig platform;
    private final ModelRegistry registry;
    private final BlobStore blobs;
    private final TenantScope tenants;
    private final LocalInference inference;
    private final Map<String, ModelRef> registered = new ConcurrentHashMap<>();

    BenchResource(ServingConfig config, PlatformConfig platform, ModelRegistry registry, BlobStore blobs,
            TenantScope tenants, LocalInference inference) {
        this.config = config;
        this.platform = platform;
        this.registry = registry;
        this.blobs = blobs;
        this.tenants = tenants;
        this.inference = inference;
    }

    public record Registered(String id, String object) {
    }

    @POST
    @Path("/tenants/{tenant_id}/models")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(hidden = true)
    public Registered register(@PathParam("tenant_id") String tenantId, @QueryParam("name") String name,
            byte[] artifact) {
        requireEnabled();
        if (!TypedId.isWellFormed("ten", tenantId) || name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw ProblemException.badRequest("bad-request", "Need a tenant id and ?name=[a-z0-9._-]+.");
        }
        TaskType task;
        Architecture architecture;
        List<String> labels;
        try (LoadedModel model = ModelRuntime.load().load(artifact, new LoadOptions(1))) {
            task = model.task();
            architecture = model.architecture();
            labels = model.labels();
        }
        String key = BlobKeys.of("tenants", tenantId, "models", name, TypedId.generate("art") + ".zip");
        BlobInfo blob = blobs.put(key, new ByteArrayInputStream(artifact), artifact.length);
        ModelView view = tenants.call(tenantId, Actor.system("bench"),
                () -> QuarkusTransaction.requiringNew().call(() -> registry.register(new NewModel(name, task,
                        architecture, "dsv_bench", null, Map.of(), Map.of(), Map.of(), Map.of(), labels, blob,
                        Map.of(), "system:bench"))));
        registered.put(view.id(), new ModelRef(view.id(), tenantId, task, blob.key(), blob.sha256(), blob.size()));
        return new Registered(view.id(), "model");
    }

    @POST
    @Path("/tenants/{tenant_id}/models/{id}/serve")
    @Operation(hidden = true)
    public Registered serve(@PathParam("tenant_id") String tenantId, @PathParam("id") String id) {
        requireEnabled();
        if (!TypedId.isWellFormed("ten", tenantId)) {
            throw ProblemException.badRequest("bad-request", "Need a tenant id.");
        }
        // the system actor of the benchmark may look the model up as a caller with the predict scope would
        Actor bench = new Actor(Actor.Type.SYSTEM, "bench", "bench", null, Set.of(Permission.PREDICT));
        ServableModel model = tenants.call(tenantId, bench,
                () -> QuarkusTransaction.requiringNew().call(() -> registry.servable(id)));
        registered.put(model.id(), ModelRef.of(model, tenantId));
        return new Registered(model.id(), "model");
    }

    @POST
    @Path("/models/{id}/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public PredictionList predict(@PathParam("id") String id, PredictRequest request) {
        requireEnabled();
        ModelRef model = registered.get(id);
        if (model == null) {
            throw ProblemException.notFound("model registered through /bench", id);
        }
        List<PredictionInput> inputs = new ArrayList<>(request.inputs().size());
        boolean images = model.task().isImage();
        for (JsonNode node : request.inputs()) {
            // the same decoding as the platform's, so the two doors differ only in what surrounds the engine
            inputs.add(images ? PredictionInput.image(Base64.getDecoder().decode(node.path("image").asText()))
                    : PredictionInput.text(node.asText()));
        }
        InferenceResult result = inference.infer(model, inputs, false, 0, config.loadWait());
        List<PredictionList.Item> items = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            items.add(PredictionList.item(i, result.predictions().get(i), request.topK(), null));
        }
        return new PredictionList(null, "prediction_list", id, null, 0, model.task(), items,
                new PredictionList.Usage(inputs.size()));
    }

    private void requireEnabled() {
        if (!config.bench().enabled() || !platform.role().runsWorkloads()) {
            throw new ProblemException(404, "not-found", "Not found", "There is nothing at this path.");
        }
    }
}
