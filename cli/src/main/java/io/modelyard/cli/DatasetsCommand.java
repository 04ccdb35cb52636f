package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "datasets", description = "Upload and inspect datasets",
        subcommands = {DatasetsCommand.Upload.class, DatasetsCommand.List.class, DatasetsCommand.Show.class})
final class DatasetsCommand {

    @Command(name = "upload", description = {"Upload a CSV or JSON Lines file, or a folder of images, as a new"
            + " dataset, with a progress bar, and print its validation report.", "A folder (class folders"
            + " <label>/<file>, optionally under train/, validation/, test/, or a labels.csv manifest) is zipped"
            + " and uploaded as an image_classification dataset: hidden files are skipped, symbolic links refused.",
            "Other upload options (cleaning, splits) go in --option name=value, as the API's query parameters."})
    static final class Upload implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE|DIR", description = "A .csv, .tsv, .jsonl, .ndjson or .zip file,"
                + " or a folder of images")
        Path file;

        @Option(names = "--task", description = "text_classification, tabular_classification, tabular_regression or"
                + " image_classification (the default, and only sensible one, for a folder or a .zip)")
        String task;

        @Option(names = "--name", description = "The dataset's name (default: the file's or folder's name)")
        String name;

        @Option(names = "--text-column") String textColumn;
        @Option(names = "--label-column") String labelColumn;
        @Option(names = "--target-column") String targetColumn;
        @Option(names = "--feature-columns", description = "Comma-separated") String featureColumns;

        @Option(names = "--option", paramLabel = "NAME=VALUE", description = "Any other upload option")
        Map<String, String> options = new LinkedHashMap<>();

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            boolean folder = Files.isDirectory(file);
            if (!folder && !Files.isRegularFile(file)) {
                throw new Modelyard.CliFailure(ExitCodes.USAGE, "no such file or folder: " + file);
            }
            Path named = file.toAbsolutePath().normalize().getFileName();
            String fileName = named != null ? named.toString() : "images";
            String lower = fileName.toLowerCase(Locale.ROOT);
            boolean zip = folder || lower.endsWith(".zip");
            String taskName = task != null ? task : zip ? "image_classification" : null;
            if (taskName == null) {
                throw new Modelyard.CliFailure(ExitCodes.USAGE, "--task is required for a file: text_classification,"
                        + " tabular_classification or tabular_regression (a folder or a .zip is image_classification)");
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("name", name != null ? name : folder ? fileName : fileName.replaceFirst("\\.[^.]+$", ""));
            query.put("task", taskName);
            putIf(query, "text_column", textColumn);
            putIf(query, "label_column", labelColumn);
            putIf(query, "target_column", targetColumn);
            putIf(query, "feature_columns", featureColumns);
            query.putAll(options);
            String contentType = zip ? "application/zip"
                    : lower.endsWith(".jsonl") || lower.endsWith(".ndjson") ? "application/x-ndjson" : "text/csv";
            if (lower.endsWith(".tsv")) {
                query.putIfAbsent("delimiter", "\t");
            }
            String path = "/v1/datasets?" + encode(query);
            JsonNode dataset = folder ? FolderUpload.upload(root, file, path)
                    : root.api().upload(path, file, contentType, root.progress("upload"));
            if (root.json) {
                root.printJson(dataset);
            } else {
                printSummary(root, dataset);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List your datasets, newest first")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--limit", defaultValue = "20") int limit;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            JsonNode page = root.api().get("/v1/datasets?limit=" + limit);
            if (root.json) {
                root.printJson(page);
                return ExitCodes.OK;
            }
            Table table = new Table("DATASET", "NAME", "TASK", "ROWS", "LATEST VERSION", "CREATED");
            for (JsonNode d : page.path("data")) {
                JsonNode v = d.path("latest_version");
                table.row(d.path("id").asText(), d.path("name").asText(), d.path("task").asText(),
                        v.path("row_count").asText(""), v.path("id").asText(""), d.path("created_at").asText());
            }
            table.print(root.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show a dataset (ds_…) and its newest version's reports")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DATASET") String id;

        @Override
        public Integer call() {
            Modelyard root = (Modelyard) spec.root().userObject();
            JsonNode dataset = root.api().get("/v1/datasets/" + Paths.segment(id));
            if (root.json) {
                root.printJson(dataset);
            } else {
                printSummary(root, dataset);
            }
            return ExitCodes.OK;
        }
    }

    /** The validation summary a person reads after an upload: counts, splits, labels, then the issues. */
    static void printSummary(Modelyard root, JsonNode dataset) {
        JsonNode version = dataset.path("latest_version");
        JsonNode validation = version.path("validation");
        root.out.printf("Dataset %s (%s, %s)%n", dataset.path("id").asText(), dataset.path("name").asText(),
                dataset.path("task").asText());
        root.out.printf("Version %s: %s rows accepted of %s read; validation %s%n", version.path("id").asText(),
                validation.path("rows_accepted").asText(version.path("row_count").asText()),
                validation.path("rows_read").asText("?"), validation.path("status").asText("?"));
        JsonNode splits = version.path("splits");
        root.out.printf("Splits: train %s, validation %s, test %s%n", splits.path("train").asText("0"),
                splits.path("validation").asText("0"), splits.path("test").asText("0"));
        Table columns = new Table("COLUMN", "ROLE", "TYPE");
        for (JsonNode c : version.path("schema").path("columns")) {
            columns.row(c.path("name").asText(), c.path("role").asText(), c.path("type").asText());
        }
        root.out.println();
        columns.print(root.out);
        JsonNode labels = version.path("profile").path("labels").path("labels");
        if (labels.size() > 0) {
            root.out.println();
            Table table = new Table("LABEL", "ROWS", "SHARE", "TRAIN", "VALIDATION", "TEST");
            for (JsonNode l : labels) {
                table.row(l.path("label").asText(), l.path("count").asText(),
                        String.format(Locale.ROOT, "%.1f%%", l.path("share").asDouble() * 100),
                        l.path("train").asText(), l.path("validation").asText(), l.path("test").asText());
            }
            table.print(root.out);
        }
        JsonNode cleaning = version.path("cleaning");
        if (cleaning.path("rows_removed").asLong(0) > 0) {
            root.out.printf("%nCleaning removed %s rows:%n", cleaning.path("rows_removed").asText());
            for (JsonNode change : cleaning.path("changes")) {
                root.out.printf("  %s: %s%n", change.path("operation").asText(), change.path("detail").asText());
            }
        }
        JsonNode totals = validation.path("totals");
        if (totals.size() > 0) {
            root.out.printf("%n%s errors, %s warnings:%n", validation.path("error_count").asText("0"),
                    validation.path("warning_count").asText("0"));
            totals.fields().forEachRemaining(e -> root.out.printf("  %-24s %s%n", e.getKey(), e.getValue().asText()));
            int shown = 0;
            for (JsonNode issue : validation.path("issues")) {
                if (shown++ == 5) {
                    root.out.println("  … (all issues: modelyard datasets show " + dataset.path("id").asText()
                            + " --json)");
                    break;
                }
                root.out.printf("  row %s %s: %s%n", issue.path("row").asText("?"), issue.path("severity").asText(),
                        issue.path("message").asText());
            }
        }
        root.out.printf("%nTrain on it: modelyard train --dataset %s --follow%n", version.path("id").asText());
    }

    private static void putIf(Map<String, String> query, String key, String value) {
        if (value != null) {
            query.put(key, value);
        }
    }

    static String encode(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
