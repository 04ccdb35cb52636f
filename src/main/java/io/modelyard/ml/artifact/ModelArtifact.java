package io.modelyard.ml.artifact;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.modelyard.image.ImageDecoder;
import io.modelyard.ml.Preprocessing;
import io.modelyard.ml.vision.ImagePreprocessing;
import io.modelyard.training.engine.ImageSource;
import io.modelyard.ml.ZipBytes;
import io.modelyard.ml.tabular.TabularPreprocessing;
import io.modelyard.ml.text.TextPreprocessing;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

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
    /** Version 2 adds quantized weights ({@code weights.quantized}); a runtime of version 1 refuses it. */
    public static final int QUANTIZED_FORMAT_VERSION = 2;
    public static final String MANIFEST_ENTRY = "manifest.json";
    public static final String WEIGHTS_ENTRY = "weights.params";
    public static final String QUANTIZED_WEIGHTS_ENTRY = "weights.quantized";
    /** An {@code imported_encoder} model's TorchScript encoder, kept as the tenant imported it. */
    public static final String ENCODER_ENTRY = "encoder.pt";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The 32-bit weights in DJL's parameter format, or null when the artifact is quantized. */
    public byte[] weights() {
        return entries.get(WEIGHTS_ENTRY);
    }

    /** The quantized weights ({@link QuantizedWeights}), or null. */
    public byte[] quantizedWeights() {
        return entries.get(QUANTIZED_WEIGHTS_ENTRY);
    }

    /** Packs a manifest with quantized weights and the preprocessing entries of {@code source}. */
    public static byte[] writeQuantized(ArtifactManifest manifest, byte[] quantizedWeights, ModelArtifact source) {
        try {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put(MANIFEST_ENTRY, JSON.writeValueAsBytes(manifest));
            entries.put(QUANTIZED_WEIGHTS_ENTRY, quantizedWeights);
            source.entries().forEach((name, bytes) -> {
                if (!name.equals(MANIFEST_ENTRY) && !name.equals(WEIGHTS_ENTRY)
                        && !name.equals(QUANTIZED_WEIGHTS_ENTRY)) {
                    entries.put(name, bytes);
                }
            });
            // pruned weights are runs of zero bytes: worth deflating once they are integers
            return ZipBytes.write(entries, java.util.Set.of(QUANTIZED_WEIGHTS_ENTRY));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write model artifact", e);
        }
    }

    /** Packs a manifest, the weights and the preprocessing entries. */
    public static byte[] write(ArtifactManifest manifest, byte[] weights, Preprocessing preprocessing) {
        return write(manifest, weights, preprocessing, null);
    }

    /** As {@link #write(ArtifactManifest, byte[], Preprocessing)}, with an imported encoder's module. */
    public static byte[] write(ArtifactManifest manifest, byte[] weights, Preprocessing preprocessing,
            byte[] encoder) {
        try {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put(MANIFEST_ENTRY, JSON.writeValueAsBytes(manifest));
            entries.put(WEIGHTS_ENTRY, weights);
            entries.putAll(preprocessing.entries());
            if (encoder != null) {
                entries.put(ENCODER_ENTRY, encoder);
            }
            return ZipBytes.write(entries);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write model artifact", e);
        }
    }

    /** Unpacks and checks format and version. */
    public static ModelArtifact read(byte[] artifact) throws IOException {
        Map<String, byte[]> entries = ZipBytes.read(artifact);
        byte[] manifestBytes = entries.get(MANIFEST_ENTRY);
        if (manifestBytes == null
                || !entries.containsKey(WEIGHTS_ENTRY) && !entries.containsKey(QUANTIZED_WEIGHTS_ENTRY)) {
            throw new IOException("not a model artifact: " + MANIFEST_ENTRY + " or " + WEIGHTS_ENTRY + " missing");
        }
        ArtifactManifest manifest = JSON.readValue(manifestBytes, ArtifactManifest.class);
        if (!FORMAT.equals(manifest.format()) || manifest.formatVersion() < FORMAT_VERSION
                || manifest.formatVersion() > QUANTIZED_FORMAT_VERSION) {
            throw new IOException("unsupported artifact format " + manifest.format() + " version "
                    + manifest.formatVersion() + " (this runtime reads " + FORMAT + " versions " + FORMAT_VERSION
                    + " to " + QUANTIZED_FORMAT_VERSION + ")");
        }
        return new ModelArtifact(manifest, entries);
    }

    /** Rebuilds the preprocessing stored in the artifact (images come with their inputs). */
    public Preprocessing preprocessing() throws IOException {
        return preprocessing(ImageSource.NONE);
    }

    /** Rebuilds the preprocessing stored in the artifact, reading a dataset's images from {@code images}. */
    public Preprocessing preprocessing(ImageSource images) throws IOException {
        if (manifest.task().isImage()) {
            return ImagePreprocessing.read(manifest.hyperparameters(), entries, images,
                    ImageDecoder.DEFAULT_MAX_PIXELS);
        }
        if (manifest.task().isText()) {
            return TextPreprocessing.read(manifest.architecture(), manifest.hyperparameters(), entries);
        }
        return TabularPreprocessing.read(entries);
    }
}
