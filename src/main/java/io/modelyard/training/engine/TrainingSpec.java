package io.modelyard.training.engine;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import java.util.ArrayList;
import java.util.List;

/**
 * What to train: the task, the network and its resolved hyperparameters. Build it with {@link #resolve} from a
 * request, check it with {@link #validate()}; the trainer checks it again (with the label count) and refuses an
 * invalid one with {@link InvalidTrainingSpecException}.
 */
public record TrainingSpec(TaskType task, Architecture architecture, SizePreset size, Hyperparameters hyperparameters) {

    /** The preset of {@code size} (base when null) with the request's explicit values laid over it. */
    public static TrainingSpec resolve(TaskType task, Architecture architecture, SizePreset size,
            HyperparameterOverrides overrides) {
        SizePreset chosen = size != null ? size : SizePreset.BASE;
        Hyperparameters resolved = architecture == null ? null
                : Hyperparameters.preset(architecture, chosen).with(overrides);
        return new TrainingSpec(task, architecture, chosen, resolved);
    }

    /** Problems a caller can fix, each naming the snake_case field it is about; empty when the spec is sound. */
    public List<SpecViolation> validate() {
        return validate(-1);
    }

    /**
     * As {@link #validate()}, and also checks the label classes of the dataset when known.
     *
     * @param labelClassCount distinct labels of a classification dataset, or -1 when not known yet
     */
    public List<SpecViolation> validate(int labelClassCount) {
        List<SpecViolation> errors = new ArrayList<>();
        if (task == null) {
            errors.add(new SpecViolation("task", "task is required"));
        }
        if (architecture == null) {
            errors.add(new SpecViolation("architecture", "architecture is required"));
        }
        if (hyperparameters == null) {
            if (architecture != null) {
                errors.add(new SpecViolation("hyperparameters", "hyperparameters are required"));
            }
            return errors;
        }
        if (task != null && architecture != null && !architecture.supports(task)) {
            errors.add(new SpecViolation("architecture", architecture.wireName() + " cannot learn " + task.wireName()
                    + (task.isText() ? "; use linear, bag_of_embeddings, text_cnn, bilstm, transformer or lstm_classic"
                            : task.isImage() ? "; use cnn_small, vgg or resnet" : "; use linear or mlp")));
        }
        if (architecture == Architecture.LSTM_CLASSIC && task != null && task.isText() && labelClassCount >= 0
                && labelClassCount != 2) {
            errors.add(new SpecViolation("architecture", "lstm_classic needs exactly 2 label classes, the dataset has "
                    + labelClassCount + "; use another text architecture"));
        }
        if (task != null && task.isClassification() && labelClassCount >= 0 && labelClassCount < 2) {
            errors.add(new SpecViolation("label_column", "classification needs at least 2 label classes, the dataset"
                    + " has " + labelClassCount));
        }
        HyperparameterRules.check(hyperparameters, architecture, task, errors);
        return errors;
    }
}
