package io.modelyard.testing;

import io.modelyard.common.TypedId;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.model.NewModel;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobKeys;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

/**
 * Registers a trained model for a tenant the way a finished training job does: the artifact into the
 * {@link BlobStore}, then {@link ModelRegistry#register} inside the tenant and a transaction. For
 * {@code @QuarkusTest}s (it is a bean of the application under test).
 */
@ApplicationScoped
public class ModelFixtures {

    private final ModelRegistry registry;
    private final BlobStore blobs;
    private final TenantScope tenants;

    ModelFixtures(ModelRegistry registry, BlobStore blobs, TenantScope tenants) {
        this.registry = registry;
        this.blobs = blobs;
        this.tenants = tenants;
    }

    /** Registers {@code model} under {@code name} for the tenant; returns the new model's id. */
    public String register(String tenantId, String name, TrainedModels.Trained model) {
        String key = BlobKeys.of("tenants", tenantId, "models", name, TypedId.generate("art") + ".zip");
        BlobInfo blob = blobs.put(key, new ByteArrayInputStream(model.artifact()), model.artifact().length);
        List<String> labels = model.data().labelClasses();
        ModelView view = tenants.call(tenantId, Actor.system("test"),
                () -> QuarkusTransaction.requiringNew().call(() -> registry.register(new NewModel(name,
                        model.data().task(), model.spec().architecture(), "dsv_test", null,
                        model.spec().hyperparameters(), model.outcome().evaluation(),
                        Map.of("epochs", model.outcome().epochsRun()),
                        Map.of("rows", Map.of("train", model.data().train().size(), "validation",
                                model.data().validation().size(), "test", model.data().test().size())),
                        labels, blob, Map.of(), "system:test"))));
        return view.id();
    }
}
