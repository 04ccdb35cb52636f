package io.modelyard.ml.artifact;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.modelyard.ml.Preprocessing;
import io.modelyard.ml.tabular.TabularPreprocessing;
import io.modelyard.ml.text.TextPreprocessing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The model artifact: a zip holding {@code manifest.json} (format, task, architecture, hyperparameters, labels,
 * input columns, target scaling), {@code weights.params} (DJL's parameter format), and the fitted preprocessing:
 * {@code vocabulary.txt} (one token per line, index = line, 0 padding, 1 unknown) for text models or
 * {@code features.json} (means, standard deviations, one-hot categories) for tabular ones. Self-contained: it
 * loads with no other file and no download.
 */
public record ModelArtifact(ArtifactManifest manifest, Map<String, byte[]> entries) {

    public static final String FORMAT = "modelyard-model";
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST_ENTRY = "manifest.json";
    public static final String WEIGHTS_ENTRY = "weights.params";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public byte[] weights() {
        return entries.get(WEIGHTS_ENTRY);
    }

    /** Packs a manifest, the weights and the preprocessing entries. */
    public static byte[] write(ArtifactManifest manifest, byte[] weights, Preprocessing preprocessing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(weights.length + 64 * 1024);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            // weights are float noise to a compressor: storing them is as small and far faster
            zip.setLevel(Deflater.NO_COMPRESSION);
            put(zip, MANIFEST_ENTRY, JSON.writeValueAsBytes(manifest));
            put(zip, WEIGHTS_ENTRY, weights);
            for (Map.Entry<String, byte[]> entry : preprocessing.entries().entrySet()) {
                put(zip, entry.getKey(), entry.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write model artifact", e);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    /** Unpacks and checks format and version. */
    public static ModelArtifact read(byte[] artifact) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(artifact))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        byte[] manifestBytes = entries.get(MANIFEST_ENTRY);
        if (manifestBytes == null || !entries.containsKey(WEIGHTS_ENTRY)) {
            throw new IOException("not a model artifact: " + MANIFEST_ENTRY + " or " + WEIGHTS_ENTRY + " missing");
        }
        ArtifactManifest manifest = JSON.readValue(manifestBytes, ArtifactManifest.class);
        if (!FORMAT.equals(manifest.format()) || manifest.formatVersion() != FORMAT_VERSION) {
            throw new IOException("unsupported artifact format " + manifest.format() + " version "
                    + manifest.formatVersion() + " (this runtime reads " + FORMAT + " version " + FORMAT_VERSION
                    + ")");
        }
        return new ModelArtifact(manifest, entries);
    }

    /** Rebuilds the preprocessing stored in the artifact. */
    public Preprocessing preprocessing() throws IOException {
        if (manifest.task().isText()) {
            return TextPreprocessing.read(manifest.architecture(), manifest.hyperparameters().maxSequenceLength(),
                    entries);
        }
        return TabularPreprocessing.read(entries);
    }
}
