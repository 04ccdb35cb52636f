package io.modelyard.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.model.spec.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A generated model card: what the model is for, what it learnt from, how well it does per class on data it
 * never saw, and what it will get wrong. Derived entirely from the registry's records, so it cannot drift
 * from the model.
 */
public record ModelCard(String object, String modelId, String name, int version, String intendedUse,
        JsonNode data, JsonNode metrics, List<String> limitations, String markdown) {

    static ModelCard of(ModelView model, JsonNode dataSummary) {
        JsonNode evaluation = model.evaluation();
        String use = intendedUse(model);
        List<String> limits = limitations(model, dataSummary);
        String markdown = markdown(model, use, dataSummary, evaluation, limits);
        return new ModelCard("model_card", model.id(), model.name(), model.version(), use, dataSummary, evaluation,
                limits, markdown);
    }

    private static String intendedUse(ModelView model) {
        return switch (model.task()) {
            case TEXT_CLASSIFICATION -> "Assigns a text to one of " + model.labels().size() + " classes ("
                    + String.join(", ", model.labels()) + "), as learnt from the tenant's labelled examples.";
            case TABULAR_CLASSIFICATION -> "Assigns a record of tabular features to one of "
                    + model.labels().size() + " classes (" + String.join(", ", model.labels()) + ").";
            case IMAGE_CLASSIFICATION -> "Assigns an image to one of " + model.labels().size() + " classes ("
                    + String.join(", ", model.labels()) + "), as learnt from the tenant's labelled images; it sees "
                    + "the image's centred square, resized.";
            case TABULAR_REGRESSION -> "Predicts a numeric target from tabular features.";
        };
    }

    private static List<String> limitations(ModelView model, JsonNode data) {
        List<String> limits = new ArrayList<>();
        limits.add("Valid only for data like its training data (dataset version " + model.datasetVersionId()
                + "); it has not been evaluated on other populations, domains or languages.");
        long testRows = data.path("rows").path("test").asLong(0);
        if (testRows > 0 && testRows < 200) {
            limits.add("The test split has only " + testRows + " rows: the metrics carry wide uncertainty.");
        }
        double imbalance = data.path("imbalance_ratio").asDouble(0);
        if (imbalance >= 3) {
            limits.add(String.format(Locale.ROOT, "The classes are imbalanced (largest to smallest %.1f : 1): "
                    + "accuracy overstates quality on the rare classes; read per-class recall.", imbalance));
        }
        JsonNode perClass = model.evaluation().path("classification").path("per_class");
        for (JsonNode c : perClass) {
            if (c.path("f1").asDouble(1) < 0.7) {
                limits.add(String.format(Locale.ROOT, "Weak on class '%s' (F1 %.2f on the test split).",
                        c.path("label").asText(), c.path("f1").asDouble()));
            }
        }
        if (model.task() == TaskType.TEXT_CLASSIFICATION) {
            int maxLength = model.hyperparameters().path("max_sequence_length").asInt(0);
            limits.add("Reads at most " + maxLength + " tokens of a text; words never seen in training count as "
                    + "unknown.");
        }
        if (model.task() == TaskType.IMAGE_CLASSIFICATION) {
            int size = model.hyperparameters().path("image_size").asInt(0);
            limits.add("Sees an image as its centred square resized to " + size + "×" + size + " pixels: what lies "
                    + "outside that square, or detail finer than that, does not reach it.");
        }
        return limits;
    }

    private static String markdown(ModelView model, String use, JsonNode data, JsonNode evaluation,
            List<String> limits) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(model.name()).append(" v").append(model.version()).append("\n\n");
        md.append("**Model** `").append(model.id()).append("` · ").append(model.architecture().wireName())
                .append(" · ").append(model.task().wireName()).append("\n\n");
        md.append("## Intended use\n\n").append(use).append("\n\n");
        md.append("## Data\n\nDataset version `").append(model.datasetVersionId()).append("`");
        JsonNode rows = data.path("rows");
        if (rows.isObject()) {
            md.append(": ").append(rows.path("train").asLong()).append(" training, ")
                    .append(rows.path("validation").asLong()).append(" validation and ")
                    .append(rows.path("test").asLong()).append(" test rows");
        }
        md.append(".\n\n## Evaluation on the held-out test split\n\n");
        JsonNode classification = evaluation.path("classification");
        if (classification.isObject()) {
            md.append(String.format(Locale.ROOT, "Accuracy %.3f · macro F1 %.3f · micro F1 %.3f%n%n",
                    classification.path("accuracy").asDouble(), classification.path("macro").path("f1").asDouble(),
                    classification.path("micro").path("f1").asDouble()));
            md.append("| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
            for (JsonNode c : classification.path("per_class")) {
                md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d |%n", c.path("label").asText(),
                        c.path("precision").asDouble(), c.path("recall").asDouble(), c.path("f1").asDouble(),
                        c.path("support").asLong()));
            }
        } else {
            JsonNode regression = evaluation.path("regression");
            md.append(String.format(Locale.ROOT, "MSE %.4f · MAE %.4f · R² %.4f on %d rows%n",
                    regression.path("mse").asDouble(), regression.path("mae").asDouble(),
                    regression.path("r2").asDouble(), regression.path("count").asLong()));
        }
        md.append("\n## Known limits\n\n");
        limits.forEach(l -> md.append("- ").append(l).append('\n'));
        return md.toString();
    }
}
