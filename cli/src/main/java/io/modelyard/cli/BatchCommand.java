package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code modelyard batch MODEL --file rows.csv | --dir photos/ | --dataset dsv_...}: a batch prediction, followed
 * to its end with a progress bar, its result downloaded. For many rows or images at once, where {@code predict}
 * would make a request per few hundred.
 */
@Command(name = "batch", description = {"Batch-predict a file, a folder of images or a dataset version with a model"
        + " (id or alias), follow the job and download the result.",
        "--file takes CSV or JSON Lines (text or tabular models) or a .zip of images; --dir zips a folder of images."})
final class BatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL") String model;

    @ArgGroup(multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--file", paramLabel = "FILE", description = "rows.csv, rows.jsonl or images.zip")
        Path file;

        @Option(names = "--dir", paramLabel = "FOLDER", description = "A folder of images (any layout)")
        Path dir;

        @Option(names = "--dataset", paramLabel = "VERSION", description = "A dataset version (dsv_...)")
        String version;
    }

    @Option(names = "--format", description = "csv or jsonl (default: as -o's extension says, else jsonl)")
    String format;

    @Option(names = "--top-k", description = "Only the k most probable classes per row") Integer topK;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write the result (default: predictions-<id>.<format> here)")
    Path output;

    /** The format an output file's name asks for, or null (the service's default, JSON Lines). */
    private static String formatOf(Path output) {
        String name = output == null ? "" : output.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") ? "csv" : name.endsWith(".jsonl") || name.endsWith(".ndjson") ? "jsonl" : null;
    }

    @Override
    public Integer call() {
        Modelyard root = (Modelyard) spec.root().userObject();
        JsonNode batch = start(root);
        String id = batch.path("id").asText();
        if (!root.json) {
            root.out.println("Started " + id + ": " + batch.path("rows").asText() + " rows with model "
                    + batch.path("model_id").asText());
        }
        JsonNode job = new JobFollower(root).follow(id, "predicting");
        if (!"succeeded".equals(job.path("state").asText())) {
            return TrainCommand.finish(root, job);
        }
        JsonNode done = root.api().get("/v1/batch-predictions/" + Paths.segment(id));
        String extension = done.path("format").asText("csv");
        Path target = output != null ? output : Path.of("predictions-" + id + "." + extension);
        long bytes = root.api().download("/v1/batch-predictions/" + Paths.segment(id) + "/result", target);
        if (root.json) {
            root.printJson(done);
        } else {
            root.out.printf(Locale.ROOT, "Wrote %d predictions to %s (%d bytes)%n",
                    done.path("result").path("rows").asLong(), target, bytes);
        }
        return ExitCodes.OK;
    }

    private JsonNode start(Modelyard root) {
        String format = this.format != null ? this.format : formatOf(output);
        if (input.version != null) {
            ObjectNode body = root.mapper.createObjectNode();
            body.put("model", model);
            body.put("dataset_version_id", input.version);
            if (format != null) {
                body.put("format", format);
            }
            if (topK != null) {
                body.put("top_k", topK);
            }
            return root.api().post("/v1/batch-predictions", body);
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("model", model);
        if (format != null) {
            query.put("format", format);
        }
        if (topK != null) {
            query.put("top_k", topK.toString());
        }
        String path = "/v1/batch-predictions?" + DatasetsCommand.encode(query);
        if (input.dir != null) {
            if (!Files.isDirectory(input.dir)) {
                throw new Modelyard.CliFailure(ExitCodes.USAGE, input.dir + " is not a folder");
            }
            return FolderUpload.upload(root, input.dir, path);
        }
        if (!Files.isRegularFile(input.file)) {
            throw new Modelyard.CliFailure(ExitCodes.USAGE, input.file + " is not a file");
        }
        String name = input.file.getFileName().toString().toLowerCase(Locale.ROOT);
        String contentType = name.endsWith(".zip") ? "application/zip"
                : name.endsWith(".jsonl") || name.endsWith(".ndjson") ? "application/x-ndjson"
                : name.endsWith(".tsv") ? "text/tab-separated-values" : "text/csv";
        return root.api().upload(path, input.file, contentType, root.progress("upload"));
    }
}
