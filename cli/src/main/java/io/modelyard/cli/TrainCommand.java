package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code modelyard train}: starts a training job, and with {@code --follow} draws it to its end. */
@Command(name = "train", description = {"Train a model on a dataset version.",
        "With --follow: a live progress bar and each epoch's metrics until the job ends (exit code 7 if it fails)."})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "DATASET",
            description = "A dataset version (dsv_…), or a dataset (ds_…) meaning its newest version now")
    String dataset;

    @Option(names = "--architecture", description = "bag_of_embeddings, text_cnn, bilstm, transformer, lstm_classic,"
            + " mlp (default: bag_of_embeddings for text, mlp for tabular)")
    String architecture;

    @Option(names = "--size", description = "small, base or large") String size;
    @Option(names = "--epochs") Integer epochs;
    @Option(names = "--batch-size") Integer batchSize;
    @Option(names = "--learning-rate") Double learningRate;
    @Option(names = "--seed") Long seed;
    @Option(names = "--name", description = "The model's name in the registry") String modelName;
    @Option(names = "--suffix", description = "Appended to the model's name") String suffix;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Any other hyperparameter (e.g. dropout=0.2)")
    Map<String, String> hyperparameters = new LinkedHashMap<>();

    @Option(names = "--metadata", paramLabel = "KEY=VALUE") Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "Only estimate the compute and the price") boolean dryRun;

    @Option(names = {"-f", "--follow"}, description = "Follow the job until it ends") boolean follow;

    @Override
    public Integer call() {
        Modelyard root = (Modelyard) spec.root().userObject();
        ObjectNode body = root.mapper.createObjectNode();
        body.put("dataset_version_id", versionOf(root, dataset));
        putIf(body, "architecture", architecture);
        putIf(body, "size", size);
        putIf(body, "model_name", modelName);
        putIf(body, "suffix", suffix);
        if (seed != null) {
            body.put("seed", seed);
        }
        ObjectNode hp = body.putObject("hyperparameters");
        if (epochs != null) {
            hp.put("epochs", epochs);
        }
        if (batchSize != null) {
            hp.put("batch_size", batchSize);
        }
        if (learningRate != null) {
            hp.put("learning_rate", learningRate);
        }
        hyperparameters.forEach((key, value) -> hp.set(key, scalar(root, value)));
        if (!metadata.isEmpty()) {
            body.set("metadata", root.mapper.valueToTree(metadata));
        }
        if (dryRun) {
            body.put("dry_run", true);
        }
        JsonNode answer = root.api().post("/v1/training-jobs", body);
        if (dryRun || !follow) {
            if (root.json) {
                root.printJson(answer);
            } else if (dryRun) {
                root.out.println("Estimate: " + answer.toPrettyString());
            } else {
                root.out.println("Started " + answer.path("id").asText() + " (" + answer.path("architecture").asText()
                        + ", " + answer.path("hyperparameters").path("epochs").asText() + " epochs); follow it with:"
                        + " modelyard jobs follow " + answer.path("id").asText());
            }
            return ExitCodes.OK;
        }
        if (!root.json) {
            root.out.println("Started " + answer.path("id").asText() + ": " + answer.path("architecture").asText()
                    + " on " + answer.path("dataset_version_id").asText() + ", "
                    + answer.path("hyperparameters").path("epochs").asText() + " epochs");
        }
        return finish(root, new JobFollower(root).follow(answer.path("id").asText()));
    }

    /** Reports a finished job; exit code 7 unless it succeeded. */
    static int finish(Modelyard root, JsonNode job) {
        String state = job.path("state").asText();
        if (root.json) {
            root.out.println(job.toString());
        } else if ("succeeded".equals(state)) {
            String model = job.path("result").path("model_id").asText("");
            root.out.println("Job " + job.path("id").asText() + " succeeded" + (model.isEmpty() ? ""
                    : ": model " + model + "\nSee its evaluation: modelyard models show " + model));
        } else {
            root.out.println("Job " + job.path("id").asText() + " ended " + state
                    + (job.hasNonNull("error") ? ": " + JobFollower.errorText(job.get("error")) : ""));
        }
        return "succeeded".equals(state) ? ExitCodes.OK : ExitCodes.JOB_FAILED;
    }

    private static String versionOf(Modelyard root, String dataset) {
        if (dataset.startsWith("ds_")) {
            return root.api().get("/v1/datasets/" + Paths.segment(dataset)).path("latest_version").path("id").asText();
        }
        return dataset;
    }

    private static JsonNode scalar(Modelyard root, String value) {
        try {
            return root.mapper.readTree(value);
        } catch (Exception e) {
            return root.mapper.getNodeFactory().textNode(value);
        }
    }

    private static void putIf(ObjectNode body, String key, String value) {
        if (value != null) {
            body.put(key, value);
        }
    }
}
