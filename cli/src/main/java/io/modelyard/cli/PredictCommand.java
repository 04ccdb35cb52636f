package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelyard predict MODEL "text" ...} or {@code --file rows.csv}: online predictions, in a table. */
@Command(name = "predict", description = {"Predict with a model (id or alias such as production).",
        "Texts as arguments for a text model; --file rows.csv (a header row) for either kind; --input JSON for one"
                + " tabular row; --image FILE (repeatable) for an image model."})
final class PredictCommand implements Callable<Integer> {

    /** The service's default limit of inputs per request; larger files go in several requests. */
    private static final int CHUNK = 256;
    /** Image bytes per request, below the service's default multipart limit (16 MiB). */
    private static final long IMAGE_BYTES_PER_REQUEST = 12L * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL") String model;
    @Parameters(index = "1..*", paramLabel = "TEXT") List<String> texts = new ArrayList<>();

    @Option(names = "--file", paramLabel = "ROWS.csv", description = "A CSV file with a header row")
    Path file;

    @Option(names = "--column", description = "The text column of --file (default: text, else the first column)")
    String column;

    @Option(names = "--input", paramLabel = "JSON", description = "One tabular row as a JSON object")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--image", paramLabel = "FILE", description = "An image file (JPEG, PNG, BMP, GIF, WebP); "
            + "repeat for several")
    List<Path> images = new ArrayList<>();

    @Option(names = "--top-k", description = "Only the k most probable classes") Integer topK;

    @Override
    public Integer call() throws IOException {
        Modelyard root = (Modelyard) spec.root().userObject();
        JsonNode info = ModelsCommand.get(root, model);
        boolean text = "text_classification".equals(info.path("task").asText());
        List<JsonNode> rows = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (String t : texts) {
            rows.add(root.mapper.getNodeFactory().textNode(t));
            shown.add(t);
        }
        for (String json : inputs) {
            JsonNode row = root.mapper.readTree(json);
            rows.add(row);
            shown.add(row.toString());
        }
        if (file != null) {
            readFile(root, text, rows, shown);
        }
        if (!images.isEmpty() && !rows.isEmpty()) {
            throw new Modelyard.CliFailure(ExitCodes.USAGE, "--image cannot be mixed with texts, --input or --file");
        }
        if (rows.isEmpty() && images.isEmpty()) {
            throw new Modelyard.CliFailure(ExitCodes.USAGE, "nothing to predict: give texts, --input, --file or "
                    + "--image");
        }
        ArrayNode all = root.mapper.createArrayNode();
        JsonNode last = null;
        String path = "/v1/models/" + Paths.segment(model) + "/predict";
        if (!images.isEmpty()) {
            // a path's end tells files apart, so a long one is cut at its start
            images.forEach(i -> shown.add(i.toString().length() <= 60 ? i.toString()
                    : "..." + i.toString().substring(i.toString().length() - 57)));
            for (int from = 0; from < images.size(); ) {
                int to = imageGroupEnd(from);
                last = root.api().postFiles(path, "image", images.subList(from, to),
                        topK == null ? Map.of() : Map.of("top_k", topK.toString()));
                collect(last, from, all);
                from = to;
            }
        }
        for (int from = 0; from < rows.size(); from += CHUNK) {
            ObjectNode body = root.mapper.createObjectNode();
            body.putArray("inputs").addAll(rows.subList(from, Math.min(rows.size(), from + CHUNK)));
            if (topK != null) {
                body.put("top_k", topK);
            }
            last = root.api().post(path, body);
            collect(last, from, all);
        }
        if (root.json) {
            ObjectNode answer = ((ObjectNode) last).deepCopy();
            answer.set("data", all);
            root.printJson(answer);
            return ExitCodes.OK;
        }
        root.out.printf("Model %s (%s v%s)%n", last.path("model_id").asText(), last.path("model_name").asText(),
                last.path("model_version").asText());
        Table table = text || !info.path("task").asText().endsWith("regression")
                ? new Table("#", "INPUT", "LABEL", "PROBABILITY") : new Table("#", "INPUT", "VALUE");
        for (JsonNode item : all) {
            int i = item.path("index").asInt();
            String input = abbreviate(shown.get(i));
            if (item.has("value")) {
                table.row(i, input, String.format(Locale.ROOT, "%.4f", item.get("value").asDouble()));
            } else {
                table.row(i, input, item.path("label").asText(), String.format(Locale.ROOT, "%.4f", top(item)));
            }
        }
        table.print(root.out);
        return ExitCodes.OK;
    }

    /** Where a request of images starting at {@code from} ends: at most CHUNK images and 12 MiB (one at least). */
    private int imageGroupEnd(int from) throws IOException {
        long bytes = 0;
        int to = from;
        while (to < images.size() && to - from < CHUNK) {
            long size;
            try {
                size = Files.size(images.get(to));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new Modelyard.CliFailure(ExitCodes.USAGE, images.get(to) + " does not exist");
            }
            if (to > from && bytes + size > IMAGE_BYTES_PER_REQUEST) {
                break;
            }
            bytes += size;
            to++;
        }
        return to;
    }

    /** Adds an answer's items to {@code all}, numbered from {@code offset}. */
    private static void collect(JsonNode answer, int offset, ArrayNode all) {
        answer.path("data").forEach(item -> {
            ObjectNode copy = item.deepCopy();
            copy.put("index", item.path("index").asInt() + offset);
            all.add(copy);
        });
    }

    private void readFile(Modelyard root, boolean text, List<JsonNode> rows, List<String> shown) throws IOException {
        List<List<String>> csv;
        try (Reader in = new java.io.BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            csv = CsvRows.read(in, file.toString().endsWith(".tsv") ? '\t' : ',');
        }
        if (csv.isEmpty()) {
            throw new Modelyard.CliFailure(ExitCodes.USAGE, file + " is empty");
        }
        List<String> header = csv.get(0);
        int textIndex = column != null ? header.indexOf(column) : header.contains("text") ? header.indexOf("text") : 0;
        if (text && textIndex < 0) {
            throw new Modelyard.CliFailure(ExitCodes.USAGE, file + " has no column " + column);
        }
        for (List<String> line : csv.subList(1, csv.size())) {
            if (text) {
                String value = textIndex < line.size() ? line.get(textIndex) : "";
                rows.add(root.mapper.getNodeFactory().textNode(value));
                shown.add(value);
            } else {
                ObjectNode row = root.mapper.createObjectNode();
                for (int c = 0; c < header.size(); c++) {
                    String value = c < line.size() ? line.get(c) : "";
                    if (value.isEmpty()) {
                        row.putNull(header.get(c));
                    } else if (value.matches("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                        row.put(header.get(c), Double.parseDouble(value));
                    } else {
                        row.put(header.get(c), value);
                    }
                }
                rows.add(row);
                shown.add(String.join(",", line));
            }
        }
    }

    private static double top(JsonNode item) {
        if (item.has("top_k")) {
            return item.path("top_k").path(0).path("probability").asDouble();
        }
        JsonNode probabilities = item.path("probabilities");
        String label = item.path("label").asText();
        if (probabilities.has(label)) {
            return probabilities.get(label).asDouble();
        }
        double best = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = probabilities.fields(); it.hasNext(); ) {
            best = Math.max(best, it.next().getValue().asDouble());
        }
        return best;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
