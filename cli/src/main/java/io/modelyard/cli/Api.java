package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Modelyard HTTP API, and nothing else: every command goes through here. Adds the credentials and the
 * tenant, and turns a problem+json answer into an {@link ApiException}.
 */
final class Api {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final String baseUrl;
    private final String tenant;
    private final Auth auth;
    private final ObjectMapper json;
    private final HttpClient http;

    Api(String baseUrl, String tenant, Auth auth, ObjectMapper json) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tenant = tenant;
        this.auth = auth;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    String baseUrl() {
        return baseUrl;
    }

    JsonNode get(String path) {
        return send(request(path).GET());
    }

    JsonNode post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))));
    }

    /**
     * Posts files as {@code multipart/form-data}, each as a part named {@code partName} with its file name, plus
     * plain {@code fields}; the body is built in memory, so callers send files in bounded groups.
     */
    JsonNode postFiles(String path, String partName, List<Path> files, Map<String, String> fields) {
        String boundary = "modelyard-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        try {
            for (Path file : files) {
                String name = file.getFileName().toString().replace("\"", "_").replace("\r", "_").replace("\n", "_");
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + partName
                        + "\"; filename=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                body.write(Files.readAllBytes(file));
                body.write("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, String> field : fields.entrySet()) {
                body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                        + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + e.getMessage());
        }
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** Streams a GET's body into {@code target} (replaced); answers the bytes written. */
    long download(String path, Path target) {
        HttpResponse<InputStream> response = exchange(request(path).header("Accept", "*/*").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            throw refusal(response.statusCode(), readAll(response.body()));
        }
        try (InputStream in = response.body()) {
            return Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw ApiException.unreachable(baseUrl, e);
        }
    }

    JsonNode put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(body))));
    }

    JsonNode delete(String path) {
        return send(request(path).DELETE());
    }

    /** Streams {@code file} as the raw request body, telling {@code progress} how many bytes have left. */
    JsonNode upload(String path, Path file, String contentType, ProgressBar progress) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
        progress.start(size);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress)), size);
        JsonNode answer = send(request(path).header("Content-Type", contentType).POST(body));
        progress.finish();
        return answer;
    }

    /**
     * Follows a Server-Sent Events stream until the server ends it, handing each event to {@code onEvent}.
     * Answers the id of the last event seen (to resume from with {@code Last-Event-ID}).
     */
    String stream(String path, String lastEventId, Consumer<SseEvent> onEvent) {
        HttpRequest.Builder request = request(path).header("Accept", "text/event-stream").timeout(Duration.ofDays(1))
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = exchange(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            throw refusal(response.statusCode(), readAll(response.body()));
        }
        String last = lastEventId;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            SseEvent.Builder event = new SseEvent.Builder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    SseEvent done = event.build();
                    if (done != null) {
                        if (done.id() != null) {
                            last = done.id();
                        }
                        onEvent.accept(done);
                    }
                    event = new SseEvent.Builder();
                } else {
                    event.line(line);
                }
            }
        } catch (IOException e) {
            throw ApiException.unreachable(baseUrl, e);
        }
        return last;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "modelyard-cli");
        String bearer = auth.bearer();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (tenant != null && !tenant.isBlank()) {
            request.header("Modelyard-Tenant", tenant);
        }
        return request;
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw refusal(response.statusCode(), response.body());
        }
        if (response.body() == null || response.body().isBlank()) {
            return json.nullNode();
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(response.statusCode(), null, "The service answered something that is not JSON");
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw ApiException.unreachable(baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted");
        }
    }

    private ApiException refusal(int status, String body) {
        JsonNode problem = null;
        try {
            problem = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            // not problem+json: fall back to the status alone
        }
        String message;
        if (problem != null && problem.hasNonNull("detail")) {
            message = problem.path("title").asText("Error") + " (" + status + "): " + problem.get("detail").asText();
            JsonNode errors = problem.path("errors");
            for (JsonNode error : errors) {
                message += "\n  " + error.path("field").asText(error.path("row").asText("")) + ": "
                        + error.path("message").asText();
            }
        } else {
            message = "The service answered " + status;
        }
        if (status == 401) {
            message += "\n  Sign in with 'modelyard login', or set MODELYARD_API_KEY to an API key.";
        }
        return new ApiException(status, problem, message);
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static InputStream counting(Path file, ProgressBar progress) {
        try {
            return new java.io.FilterInputStream(Files.newInputStream(file)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        progress.advance(n);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One Server-Sent Event: its id, its event name and its (joined) data lines. */
    record SseEvent(String id, String event, String data) {

        static final class Builder {
            private String id;
            private String event;
            private StringBuilder data;

            void line(String line) {
                if (line.startsWith(":")) {
                    return;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                    }
                }
            }

            SseEvent build() {
                return data == null && event == null ? null : new SseEvent(id, event, data == null ? "" : data.toString());
            }
        }
    }
}
