package io.modelyard.training.vectors;

import io.modelyard.common.ProblemException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads a word-vectors file through once to check it: UTF-8 text, one word per line followed by its numbers
 * separated by spaces, every line the same width; word2vec's first line ({@code <words> <dimensions>}) is
 * allowed, GloVe has none. Refusals are 422 {@code invalid-word-vectors} naming the line.
 */
final class WordVectorsFile {

    static final int MAX_DIMENSIONS = 4096;

    /** What the file holds. */
    record Shape(int dimensions, long words) {
    }

    private WordVectorsFile() {
    }

    static Shape check(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        int dimensions = -1;
        long words = 0;
        long line = 0;
        try {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                line++;
                String trimmed = text.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+");
                if (line == 1 && parts.length == 2 && parts[0].matches("\\d+") && parts[1].matches("\\d+")) {
                    continue;
                }
                if (parts.length < 2) {
                    throw invalid(line, "a line is a word followed by its numbers");
                }
                if (dimensions == -1) {
                    dimensions = parts.length - 1;
                    if (dimensions > MAX_DIMENSIONS) {
                        throw invalid(line, "at most " + MAX_DIMENSIONS + " numbers per word");
                    }
                } else if (parts.length - 1 != dimensions) {
                    throw invalid(line, "has " + (parts.length - 1) + " numbers; the first word had " + dimensions);
                }
                for (int i = 1; i < parts.length; i++) {
                    try {
                        float value = Float.parseFloat(parts[i]);
                        if (!Float.isFinite(value)) {
                            throw invalid(line, "'" + parts[i] + "' is not a finite number");
                        }
                    } catch (NumberFormatException e) {
                        throw invalid(line, "'" + parts[i] + "' is not a number");
                    }
                }
                words++;
            }
        } catch (CharacterCodingException e) {
            throw invalid(line + 1, "is not UTF-8");
        }
        if (words == 0) {
            throw ProblemException.unprocessable("invalid-word-vectors", "The file holds no word vectors.");
        }
        return new Shape(dimensions, words);
    }

    private static ProblemException invalid(long line, String message) {
        return ProblemException.unprocessable("invalid-word-vectors", "Line " + line + ": " + message + ".")
                .with("row", line);
    }

    static Map<String, Object> describe(Shape shape) {
        return Map.of("dimensions", shape.dimensions(), "words", shape.words());
    }
}
