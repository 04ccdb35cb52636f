package io.modelyard.model;

import io.modelyard.common.LowercaseEnumConverter;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import jakarta.persistence.Converter;

/**
 * How the model vocabulary is stored: as its wire names ({@code text_classification}, {@code text_cnn}), the
 * spelling the API writes. Applied to every entity attribute of these types (models, datasets); kept here so the
 * vocabulary in {@code model.spec}, which the engine shares, knows nothing of persistence.
 */
final class SpecColumns {

    private SpecColumns() {
    }

    @Converter(autoApply = true)
    static class TaskTypes extends LowercaseEnumConverter<TaskType> {
        TaskTypes() {
            super(TaskType.class);
        }
    }

    @Converter(autoApply = true)
    static class Architectures extends LowercaseEnumConverter<Architecture> {
        Architectures() {
            super(Architecture.class);
        }
    }
}
