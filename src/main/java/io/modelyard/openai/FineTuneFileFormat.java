package io.modelyard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelyard.common.ProblemException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a fine-tuning file as OpenAI's tenants already have them and writes the platform's text-classification
 * JSON Lines ({@code {"text", "label"}}), line by line, so that the dataset pipeline validates, cleans, profiles and
 * splits it like any other upload. Accepted lines:
 * <ul>
 * <li>{@code {"text": "...", "label": "..."}} as is;</li>
 * <li>chat-formatted classification examples, {@code {"messages": [{"role": "system"|"user"|"assistant",
 * "content": ...}]}}: the text is the user turns, the label the last assistant turn;</li>
 * <li>legacy {@code {"prompt": "...", "completion": "..."}}: the prompt classified as the completion.</li>
 * </ul>
 * Anything else is refused naming the line, in OpenAI's error shape ({@code invalid_file_format}).
 */
final class FineTuneFileFormat {

    private final ObjectMapper json;

    FineTuneFileFormat(ObjectMapper json) {
        this.json = json;
    }

    /** Converts {@code in} into {@code out}; answers the number of examples. */
    long convert(InputStream in, OutputStream out) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)));
        BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        long number = 0;
        long examples = 0;
        String line;
        try {
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode example = json.createObjectNode();
                JsonNode row = parse(line, number);
                example.put("text", text(row, number));
                example.put("label", label(row, number));
                writer.write(json.writeValueAsString(example));
                writer.write('\n');
                examples++;
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw invalid("The file is not UTF-8 (near line " + (number + 1) + ").", number + 1);
        }
        writer.flush();
        if (examples == 0) {
            throw invalid("The file has no examples: send JSON Lines, one example per line.", 1);
        }
        return examples;
    }

    private JsonNode parse(String line, long number) {
        try {
            JsonNode row = json.readTree(line);
            if (row == null || !row.isObject()) {
                throw invalid("Line " + number + " is not a JSON object.", number);
            }
            return row;
        } catch (IOException e) {
            throw invalid("Line " + number + " is not valid JSON.", number);
        }
    }

    private static String text(JsonNode row, long number) {
        if (row.has("text")) {
            return required(row.get("text"), "text", number);
        }
        if (row.has("prompt")) {
            return required(row.get("prompt"), "prompt", number);
        }
        JsonNode messages = row.path("messages");
        if (!messages.isArray()) {
            throw invalid("Line " + number + " has neither \"text\"/\"label\", \"messages\", nor \"prompt\"/\"completion\":"
                    + " Modelyard fine-tunes classifiers from labelled examples.", number);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asText())) {
                String content = content(message.path("content"));
                if (!content.isBlank()) {
                    text.append(text.isEmpty() ? "" : "\n").append(content);
                }
            }
        }
        if (text.isEmpty()) {
            throw invalid("Line " + number + " has no user message with text content.", number);
        }
        return text.toString();
    }

    private static String label(JsonNode row, long number) {
        if (row.has("label")) {
            return required(row.get("label"), "label", number).trim();
        }
        if (row.has("completion")) {
            return required(row.get("completion"), "completion", number).trim();
        }
        String label = null;
        for (JsonNode message : row.path("messages")) {
            if ("assistant".equals(message.path("role").asText())) {
                label = content(message.path("content")).trim();
            }
        }
        if (label == null || label.isEmpty()) {
            throw invalid("Line " + number + " has no assistant message: its content is the example's label.", number);
        }
        return label;
    }

    /** A message's content: a string, or OpenAI's list of parts, of which the text parts count. */
    private static String content(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                text.append(text.isEmpty() ? "" : " ").append(part.get("text").asText());
            }
        }
        return text.toString();
    }

    private static String required(JsonNode value, String field, long number) {
        if (value.isTextual() && !value.asText().isBlank()) {
            return value.asText();
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw invalid("Line " + number + ": \"" + field + "\" must be a non-empty string.", number);
    }

    static ProblemException invalid(String detail, long line) {
        return ProblemException.badRequest("invalid-file-format", detail).with("param", "file").with("line", line);
    }
}
