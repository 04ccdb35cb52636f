package io.modelyard.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Malformed dataset uploads, generated from a seed: CSV, JSON Lines and multipart bodies each broken in at least
 * one way real clients break them (truncated, wrong encodings, NULs, unbalanced quotes, ragged rows, missing
 * columns, formula cells around a real fault, bodies that are not what their type says, broken multipart
 * framing). Used by the upload fuzz test, and by bench/chaos.sh as {@code main(baseUrl, apiKey, count)}.
 */
public final class MalformedUploads {

    static final String BOUNDARY = "fuzzBoundary7MA4YWxk";

    private MalformedUploads() {
    }

    /** One malformed body: what broke it, and how to send it to {@code POST /v1/datasets}. */
    public record Body(String kind, String contentType, byte[] bytes, Map<String, String> query) {

        /** The query string of the upload. */
        public String queryString() {
            return query.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                    StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        }
    }

    /** {@code count} bodies, the same for the same seed. */
    public static List<Body> generate(int count, long seed) {
        Random random = new Random(seed);
        List<Function<Random, Body>> breakers = breakers();
        List<Body> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(breakers.get(i % breakers.size()).apply(random));
        }
        return bodies;
    }

    /** Sends {@code count} bodies to a running platform; prints the answers by status and RESULT fuzz_5xx. */
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String key = args[1];
        int count = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newHttpClient();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int serverErrors = 0;
        int notProblems = 0;
        for (Body body : generate(count, 20261206L)) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/datasets?" + body.queryString()))
                    .header("Authorization", "Bearer " + key).header("Content-Type", body.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() >= 500) {
                serverErrors++;
                System.err.println(body.kind() + ": " + response.statusCode() + " " + response.body());
            }
            if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                notProblems++;
            }
        }
        System.out.println("fuzz answers by status: " + statuses + ", not problem+json: " + notProblems);
        System.out.println("RESULT fuzz_5xx=" + serverErrors);
        System.out.println("RESULT fuzz_not_problem=" + notProblems);
    }

    static List<Function<Random, Body>> breakers() {
        List<Function<Random, Body>> all = new ArrayList<>();
        // CSV broken in the bytes
        all.add(r -> csv("invalid-utf8", withBytes(goodCsv(r), (byte) 0xC3, (byte) 0x28)));
        all.add(r -> csv("latin1", ("text,label\n" + "caf\u00e9 " + word(r) + ",a\n").getBytes(StandardCharsets.ISO_8859_1)));
        all.add(r -> csv("nul", withBytes(goodCsv(r), (byte) 0)));
        all.add(r -> csv("unterminated-quote", (goodCsvText(r) + "\"never closed," + word(r)).getBytes(StandardCharsets.UTF_8)));
        all.add(r -> csv("ragged", (goodCsvText(r) + word(r) + ",a," + word(r) + "," + word(r) + "\n").getBytes(StandardCharsets.UTF_8)));
        all.add(r -> csv("empty", new byte[0]));
        all.add(r -> csv("header-only", "text,label\n".getBytes(StandardCharsets.UTF_8)));
        all.add(r -> csv("single-class", ("text,label\n" + (word(r) + ",only\n").repeat(5 + r.nextInt(20))).getBytes(StandardCharsets.UTF_8)));
        all.add(r -> csvQuery("missing-column", goodCsv(r), Map.of("task", "text_classification", "text_column", "nope")));
        all.add(r -> csvQuery("bad-task", goodCsv(r), Map.of("task", "image_generation")));
        all.add(r -> csvQuery("no-task", goodCsv(r), Map.of()));
        all.add(r -> csvQuery("non-numeric-target", ("x,y\n" + "1," + word(r) + "\n2,3\n".repeat(3)).getBytes(StandardCharsets.UTF_8),
                Map.of("task", "tabular_regression", "target_column", "y")));
        all.add(r -> csvQuery("formula-cells-and-ragged", ("text,label\n=HYPERLINK(\"x\"),a\n+cmd|' /C calc'!A0,b\n"
                + "-2+3,a\n@SUM(1),b,extra\n").getBytes(StandardCharsets.UTF_8), Map.of("task", "text_classification")));
        all.add(r -> csv("truncated-mid-quote", ("text,label\n" + word(r) + ",a\n" + word(r) + ",b\n\"" + word(r)
                + " \"\"quoted\"\" and cut off").getBytes(StandardCharsets.UTF_8)));
        all.add(r -> csvQuery("bad-delimiter", goodCsv(r), Map.of("task", "text_classification", "delimiter", "::")));
        all.add(r -> csvQuery("bad-split", goodCsv(r), Map.of("task", "text_classification", "split_train", "1.7")));
        all.add(r -> csvQuery("huge-field", ("text,label\n" + "x".repeat(1024 * 1024 + 10) + ",a\n"
                + word(r) + ",b\n").getBytes(StandardCharsets.UTF_8), Map.of("task", "text_classification")));
        // JSON Lines
        all.add(r -> jsonl("invalid-json", ("{\"text\": \"" + word(r) + "\", \"label\": \"a\"}\n{\"text\": oops}\n")));
        all.add(r -> jsonl("not-an-object", "{\"text\": \"a\", \"label\": \"a\"}\n[1, 2, 3]\n"));
        all.add(r -> jsonl("truncated", truncate("{\"text\": \"" + word(r) + " " + word(r) + "\", \"label\": \"b\"}\n", r)));
        all.add(r -> jsonl("nul", "{\"text\": \"a\u0000b\", \"label\": \"a\"}\n{\"text\": \"c\", \"label\": \"b\"}\n"));
        all.add(r -> jsonl("missing-label", "{\"text\": \"" + word(r) + "\"}\n{\"text\": \"" + word(r) + "\"}\n"));
        all.add(r -> new Body("csv-as-jsonl", "application/x-ndjson", goodCsv(r), Map.of("task", "text_classification")));
        all.add(r -> new Body("wrong-type", "image/png", goodCsv(r), Map.of("task", "text_classification")));
        // multipart
        all.add(r -> multipart("no-file-part", part("options", "application/json", "{\"task\": \"text_classification\"}")));
        all.add(r -> multipart("unknown-part", part("options", "application/json", "{\"task\": \"text_classification\"}"),
                part("surprise", "text/plain", word(r))));
        all.add(r -> multipart("bad-options-json", part("options", "application/json", "{task: nope"),
                filePart(goodCsvText(r))));
        all.add(r -> multipart("unknown-option", part("options", "application/json", "{\"task\": \"text_classification\", \"colour\": 1}"),
                filePart(goodCsvText(r))));
        all.add(r -> multipart("broken-file", part("options", "application/json", "{\"task\": \"text_classification\"}"),
                filePart(goodCsvText(r) + "\"unterminated," + word(r))));
        all.add(r -> new Body("no-boundary", "multipart/form-data", goodCsv(r), Map.of()));
        all.add(r -> new Body("truncated-multipart", "multipart/form-data; boundary=" + BOUNDARY,
                truncate(new String(multipart("x", part("options", "application/json", "{\"task\": \"text_classification\"}"),
                        filePart(goodCsvText(r))).bytes(), StandardCharsets.UTF_8), r), Map.of()));
        all.add(r -> new Body("mutated", "text/csv", mutate(goodCsv(r), r), Map.of("task", "text_classification",
                "text_column", "nope")));
        return all;
    }

    private static Body csv(String kind, byte[] bytes) {
        return csvQuery(kind, bytes, Map.of("task", "text_classification"));
    }

    private static Body csvQuery(String kind, byte[] bytes, Map<String, String> query) {
        return new Body(kind, "text/csv", bytes, query);
    }

    private static Body jsonl(String kind, String text) {
        return new Body(kind, "application/x-ndjson", text.getBytes(StandardCharsets.UTF_8),
                Map.of("task", "text_classification"));
    }

    private static Body jsonl(String kind, byte[] bytes) {
        return new Body(kind, "application/x-ndjson", bytes, Map.of("task", "text_classification"));
    }

    private static String part(String name, String type, String content) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: " + type
                + "\r\n\r\n" + content + "\r\n";
    }

    private static String filePart(String csv) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n";
    }

    private static Body multipart(String kind, String... parts) {
        return new Body(kind, "multipart/form-data; boundary=" + BOUNDARY,
                (String.join("", parts) + "--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static String goodCsvText(Random r) {
        StringBuilder csv = new StringBuilder("text,label\n");
        int rows = 4 + r.nextInt(30);
        for (int i = 0; i < rows; i++) {
            csv.append(word(r)).append(' ').append(word(r)).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        return csv.toString();
    }

    private static byte[] goodCsv(Random r) {
        return goodCsvText(r).getBytes(StandardCharsets.UTF_8);
    }

    private static String word(Random r) {
        StringBuilder w = new StringBuilder();
        for (int i = 0, n = 3 + r.nextInt(6); i < n; i++) {
            w.append((char) ('a' + r.nextInt(26)));
        }
        return w.toString();
    }

    /** The bytes with {@code insert} placed at a random row start after the header. */
    private static byte[] withBytes(byte[] csv, byte... insert) {
        int at = new String(csv, StandardCharsets.UTF_8).indexOf('\n', 12) + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(csv, 0, at);
        out.write(insert, 0, insert.length);
        out.write(csv, at, csv.length - at);
        return out.toByteArray();
    }

    private static byte[] truncate(String text, Random r) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(bytes, Math.max(1, bytes.length - 1 - r.nextInt(Math.max(1, bytes.length / 2))));
    }

    /** Random byte flips, plus a column name that does not exist (so the body is wrong whatever the flips do). */
    private static byte[] mutate(byte[] bytes, Random r) {
        byte[] copy = bytes.clone();
        for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
            copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
        }
        return copy;
    }

}
