package io.modelyard.serving.batch;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.ml.SyntheticData;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingData;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Starting, following and downloading batch predictions through the API, and the CSVs they read. */
final class BatchJobs {

    static final Duration RUN = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchJobs() {
    }

    static String start(RequestSpecification as, Map<String, Object> body) {
        return as.body(body).post("/v1/batch-predictions").then().statusCode(202).extract().path("id");
    }

    /** Waits until the job has finished and returns it; fails the test if it did not succeed. */
    static JsonPath awaitSucceeded(Supplier<RequestSpecification> as, String id) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(RUN).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = as.get().get("/v1/batch-predictions/" + id).then().statusCode(200).extract().jsonPath();
            return List.of("succeeded", "failed", "cancelled").contains(last[0].getString("state"));
        });
        if (!"succeeded".equals(last[0].getString("state"))) {
            throw new AssertionError("Batch prediction " + id + " ended " + last[0].getString("state") + ": "
                    + last[0].getString("error") + "\nevents: " + as.get().get("/v1/batch-predictions/" + id
                    + "/events?limit=100").then().extract().path("data.collect { it.type + ' ' + it.data }"));
        }
        return last[0];
    }

    /** The rows of a version as its JSON Lines download gives them (numbers as numbers), in row order. */
    static List<JsonNode> versionRows(RequestSpecification as, String versionId) {
        String body = as.queryParam("format", "jsonl").get("/v1/dataset-versions/" + versionId + "/download")
                .then().statusCode(200).extract().asString();
        return jsonLines(body);
    }

    static List<JsonNode> jsonLines(String body) {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(read(line));
            }
        }
        return rows;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A model's test split as the CSV a tenant would upload: the rows its stored evaluation scored. */
    static String testSplitCsv(TrainingData data) {
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>();
        if (data.task().isText()) {
            header.add("text");
        } else {
            data.features().forEach(f -> header.add(f.name()));
        }
        header.add(data.task().isClassification() ? "label" : "target");
        csv.append(String.join(",", header)).append('\n');
        for (Example e : data.test()) {
            List<String> cells = new ArrayList<>(data.task().isText() ? List.of(e.text()) : e.features());
            cells.add(data.task().isClassification() ? e.label() : Double.toString(e.target()));
            csv.append(String.join(",", cells)).append('\n');
        }
        return csv.toString();
    }

    /** Topic texts whose classes a spreadsheet would run as formulas. */
    static TrainingData formulaTopics() {
        TrainingData topics = SyntheticData.topics(300, 60, 60, 77);
        List<String> classes = List.of("+plus", "=danger()", "@risk");
        return TrainingData.text("text", "label", classes, relabel(topics.train(), classes),
                relabel(topics.validation(), classes), relabel(topics.test(), classes));
    }

    private static List<Example> relabel(List<Example> examples, List<String> classes) {
        List<Example> out = new ArrayList<>();
        for (Example e : examples) {
            out.add(Example.text(e.text(), classes.get(SyntheticData.TOPICS.indexOf(e.label()))));
        }
        return out;
    }
}
