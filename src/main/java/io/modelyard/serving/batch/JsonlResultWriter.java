package io.modelyard.serving.batch;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.modelyard.dataset.split.Split;
import io.modelyard.serving.PredictionList;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * JSON Lines results, one object per row with the fields of an online prediction:
 * {@code {"row":0,"split":"test","label":"sport","probabilities":{"politics":0.01,...}}}, or {@code top_k}, or
 * {@code value} for regression. An image's row also names its {@code file} and {@code image_id}, and the predicted
 * class's probability as {@code confidence}.
 */
final class JsonlResultWriter extends ResultWriter {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final JsonGenerator json;

    JsonlResultWriter(OutputStream out) throws IOException {
        this.json = JSON.createGenerator(out, JsonEncoding.UTF8);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null);
    }

    @Override
    void write(long row, Split split, Image image, PredictionList.Item item) throws IOException {
        json.writeStartObject();
        json.writeNumberField("row", row);
        if (split != null) {
            json.writeStringField("split", split.id());
        }
        if (image != null) {
            json.writeStringField("file", image.file());
            json.writeStringField("image_id", image.id());
        }
        if (item.value() != null) {
            json.writeNumberField("value", item.value());
        } else {
            json.writeStringField("label", item.label());
            if (image != null) {
                json.writeNumberField("confidence", confidence(item));
            }
            if (item.probabilities() != null) {
                json.writeObjectFieldStart("probabilities");
                for (Map.Entry<String, Float> p : item.probabilities().entrySet()) {
                    json.writeNumberField(p.getKey(), p.getValue());
                }
                json.writeEndObject();
            } else {
                json.writeArrayFieldStart("top_k");
                for (PredictionList.ClassProbability p : item.topK()) {
                    json.writeStartObject();
                    json.writeStringField("label", p.label());
                    json.writeNumberField("probability", p.probability());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
