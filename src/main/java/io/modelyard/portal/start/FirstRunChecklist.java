package io.modelyard.portal.start;

import io.modelyard.billing.Meter;
import io.modelyard.billing.statements.UsageService;
import io.modelyard.common.PageRequest;
import io.modelyard.dataset.DatasetService;
import io.modelyard.model.ModelRegistry;
import io.modelyard.portal.Chrome;
import io.modelyard.training.TrainingJobService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Works out how far a tenant has come, from the same services the pages show. */
@ApplicationScoped
class FirstRunChecklist {

    private static final PageRequest ANY = new PageRequest(1, null);

    private final DatasetService datasets;
    private final TrainingJobService training;
    private final ModelRegistry models;
    private final UsageService usage;

    FirstRunChecklist(DatasetService datasets, TrainingJobService training, ModelRegistry models,
            UsageService usage) {
        this.datasets = datasets;
        this.training = training;
        this.models = models;
        this.usage = usage;
    }

    FirstRun of(Chrome chrome) {
        String base = chrome.base();
        boolean uploaded = !datasets.list(ANY, null).data().isEmpty();
        boolean trained = !training.list(ANY, null, null).data().isEmpty();
        boolean deployed = !models.listAliases().isEmpty();
        boolean called = usage.summary(null).meters().stream()
                .anyMatch(m -> m.meter() == Meter.PREDICTIONS && m.used().signum() > 0);
        return new FirstRun(List.of(
                new FirstRun.Step("Upload a dataset", "A CSV or JSON Lines file; we validate, clean, profile and split it.",
                        uploaded, base + "/datasets", "Upload"),
                new FirstRun.Step("Train a model", "Pick an architecture and watch the loss and F1 curves live.",
                        trained, base + "/training-jobs/new", "Train"),
                new FirstRun.Step("Deploy it", "Point an alias such as production at the model you trust.",
                        deployed, base + "/models", "Models"),
                new FirstRun.Step("Call it", "Create an API key and send your first prediction.",
                        called, base + "/api-keys", "API keys")));
    }
}
