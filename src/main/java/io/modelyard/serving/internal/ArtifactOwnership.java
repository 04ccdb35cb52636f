package io.modelyard.serving.internal;

import io.modelyard.common.ProblemException;
import io.modelyard.model.ModelRegistry;
import io.modelyard.serving.ModelRef;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A worker loads only what the tenant named in the request owns. The internal secret proves the caller is one of
 * our processes, not that the model reference it sends is honest: before a model is used, its id, artifact key
 * and digest must be a model of that tenant (a read under the tenant's row-level security), remembered per
 * reference afterwards.
 */
@ApplicationScoped
class ArtifactOwnership {

    private static final int REMEMBERED = 10_000;
    private static final Actor LOADER = Actor.system("model-loader");

    private final TenantScope tenants;
    private final ModelRegistry registry;
    private final Set<String> verified = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    ArtifactOwnership(TenantScope tenants, ModelRegistry registry) {
        this.tenants = tenants;
        this.registry = registry;
    }

    /** @throws ProblemException 404 when the tenant has no such model (with this artifact) */
    void verify(ModelRef model) {
        String key = model.tenantId() + "/" + model.cacheKey() + "/" + model.artifactKey();
        if (verified.contains(key)) {
            return;
        }
        boolean owned = model.tenantId() != null && model.artifactKey() != null
                && model.artifactKey().startsWith("tenants/" + model.tenantId() + "/")
                && tenants.call(model.tenantId(), LOADER,
                        () -> registry.holdsArtifact(model.id(), model.artifactKey(), model.artifactSha256()));
        if (!owned) {
            throw ProblemException.notFound("model", model.id());
        }
        verified.add(key);
    }
}
