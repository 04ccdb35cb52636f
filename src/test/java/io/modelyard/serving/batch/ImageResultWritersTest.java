package io.modelyard.serving.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.dataset.split.Split;
import io.modelyard.serving.engine.Prediction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Result rows of an image model: the file and image id after the split, the confidence after the label. */
class ImageResultWritersTest {

    private static final List<String> CLASSES = List.of("circle", "square");
    private static final ResultWriter.Image IMAGE = new ResultWriter.Image("cats/1.png", "ab".repeat(32));

    @Test
    void csvNamesTheFileTheImageAndTheConfidence() throws IOException {
        assertEquals("row,split,file,image_id,label,confidence,p_circle,p_square\n"
                + "0,test,cats/1.png," + IMAGE.id() + ",square,0.75,0.25,0.75\n"
                + "1,,cats/1.png," + IMAGE.id() + ",square,0.75,0.25,0.75\n",
                write(ResultFormat.CSV, null, IMAGE).replace("\r\n", "\n"));
    }

    @Test
    void aFileNamedLikeAFormulaIsEscapedInCsv() throws IOException {
        String cell = write(ResultFormat.CSV, null, new ResultWriter.Image("=cmd()|x.png", IMAGE.id()))
                .split("\r?\n")[1].split(",")[2];
        assertFalse(cell.startsWith("="), cell);
        assertTrue(cell.contains("=cmd()|x.png"), cell);
    }

    @Test
    void csvWithTopKTakesTheConfidenceOfTheFirst() throws IOException {
        String[] lines = write(ResultFormat.CSV, 1, IMAGE).split("\r?\n");
        assertEquals("row,split,file,image_id,label,confidence,top_1,p_top_1", lines[0]);
        assertEquals(List.of("square", "0.75", "square", "0.75"), List.of(lines[1].split(",")).subList(4, 8));
    }

    @Test
    void jsonLinesCarryTheSameFields() throws IOException {
        String[] lines = write(ResultFormat.JSONL, null, IMAGE).split("\n");
        assertEquals("{\"row\":0,\"split\":\"test\",\"file\":\"cats/1.png\",\"image_id\":\"" + IMAGE.id()
                + "\",\"label\":\"square\",\"confidence\":0.75,\"probabilities\":{\"circle\":0.25,\"square\":0.75}}",
                lines[0]);
        assertEquals("{\"row\":1,\"file\":\"cats/1.png\",\"image_id\":\"" + IMAGE.id()
                + "\",\"label\":\"square\",\"confidence\":0.75,\"probabilities\":{\"circle\":0.25,\"square\":0.75}}",
                lines[1]);
    }

    @Test
    void textRowsAreWrittenAsBefore() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultWriter writer = ResultWriter.open(ResultFormat.CSV, out, CLASSES, null)) {
            writer.write(0, Split.TRAIN, null, prediction(), null);
        }
        assertEquals("row,split,label,p_circle,p_square\n0,train,square,0.25,0.75\n",
                out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    private static String write(ResultFormat format, Integer topK, ResultWriter.Image image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultWriter writer = ResultWriter.open(format, out, CLASSES, topK, true)) {
            writer.write(0, Split.TEST, image, prediction(), topK);
            writer.write(1, null, image, prediction(), topK);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Prediction prediction() {
        Map<String, Double> probabilities = new LinkedHashMap<>();
        probabilities.put("circle", 0.25);
        probabilities.put("square", 0.75);
        return new Prediction("square", probabilities, null);
    }
}
