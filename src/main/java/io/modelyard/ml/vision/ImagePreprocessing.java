package io.modelyard.ml.vision;

import io.modelyard.image.DecodedImage;
import io.modelyard.image.ImageDecoder;
import io.modelyard.image.ImageTooLargeException;
import io.modelyard.image.NotAnImageException;
import io.modelyard.image.UndecodableImageException;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.Preprocessing;
import io.modelyard.serving.engine.InvalidInputException;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.ImageSource;
import io.modelyard.training.engine.TrainingDataException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Images to network input: decoded (EXIF orientation applied), resized and centre-cropped to the model's square
 * {@code image_size}, normalised with the training split's per-channel mean and deviation, which the artifact
 * keeps so serving normalises alike. The training split is augmented when {@code image_augmentation} asks.
 */
public final class ImagePreprocessing implements Preprocessing {

    private final int size;
    private final ChannelStats stats;
    private final ImageSource images;
    private final ImageDecoder decoder;
    private final boolean augment;
    private final long seed;
    /** The training split the statistics were fitted on, decoded once for both the fit and the training rows. */
    private List<Example> fittedOn;
    private byte[][] fittedPixels;

    private ImagePreprocessing(int size, ChannelStats stats, ImageSource images, ImageDecoder decoder,
            boolean augment, long seed) {
        this.size = size;
        this.stats = stats;
        this.images = images;
        this.decoder = decoder;
        this.augment = augment;
        this.seed = seed;
    }

    /** Fits the channel statistics on the training split's images. */
    public static ImagePreprocessing fit(List<Example> train, ImageSource images, Hyperparameters h) {
        ImagePreprocessing unfitted = new ImagePreprocessing(h.imageSize(), null, images, new ImageDecoder(),
                h.imageAugmentation(), h.seed());
        byte[][] pixels = unfitted.pixels(train, "train");
        ImagePreprocessing fitted = unfitted.withStats(ChannelStats.fit(Arrays.asList(pixels)));
        fitted.fittedOn = train;
        fitted.fittedPixels = pixels;
        return fitted;
    }

    /** The preprocessing an artifact stored; serving decodes at most {@code maxPixels} per image. */
    public static ImagePreprocessing read(Hyperparameters h, Map<String, byte[]> entries, ImageSource images,
            long maxPixels) throws IOException {
        byte[] entry = entries.get(ChannelStats.ENTRY);
        if (entry == null) {
            throw new IOException("artifact has no " + ChannelStats.ENTRY);
        }
        return new ImagePreprocessing(h.imageSize(), ChannelStats.read(entry), images, new ImageDecoder(maxPixels),
                h.imageAugmentation(), h.seed());
    }

    private ImagePreprocessing withStats(ChannelStats fitted) {
        return new ImagePreprocessing(size, fitted, images, decoder, augment, seed);
    }

    @Override
    public EncodedRows examples(List<Example> examples, String split) {
        byte[][] pixels = fittedPixels != null && examples == fittedOn ? fittedPixels : pixels(examples, split);
        return augment && "train".equals(split) ? ImageRows.augmented(pixels, size, stats, seed)
                : new ImageRows(pixels, size, stats);
    }

    @Override
    public EncodedRows inputs(List<PredictionInput> inputs) {
        byte[][] pixels = new byte[inputs.size()][];
        for (int row = 0; row < inputs.size(); row++) {
            pixels[row] = pixels(inputs.get(row), row);
        }
        return rows(pixels);
    }

    /** A prediction input as the network sees it: RGB, channels first, {@code image_size} square. */
    public byte[] pixels(PredictionInput input, int row) {
        byte[] encoded = input.image();
        if (encoded == null) {
            throw new InvalidInputException("an image model needs an image", "image", row);
        }
        try {
            return ImageTensors.toChw(decoder.decode(encoded).pixels(), size);
        } catch (NotAnImageException | UndecodableImageException e) {
            throw new InvalidInputException("not a readable JPEG, PNG, BMP, GIF or WebP image: " + e.getMessage(),
                    "image", row);
        } catch (ImageTooLargeException e) {
            throw new InvalidInputException("the image has " + e.width() + "×" + e.height() + " pixels; at most "
                    + e.maxPixels() + " are allowed", "image", row);
        }
    }

    /** Images from {@link #pixels} as network input, normalised. */
    public EncodedRows rows(byte[][] pixels) {
        return new ImageRows(pixels, size, stats);
    }

    /** The training split's mean colour, as a byte per channel (what covers an occluded cell). */
    public byte[] meanColour() {
        byte[] colour = new byte[3];
        for (int c = 0; c < 3; c++) {
            colour[c] = (byte) Math.round(stats.mean().get(c) * 255);
        }
        return colour;
    }

    private byte[][] pixels(List<Example> examples, String split) {
        byte[][] pixels = new byte[examples.size()][];
        for (int row = 0; row < examples.size(); row++) {
            String id = examples.get(row).text();
            try {
                DecodedImage image = decoder.decode(images.read(id));
                pixels[row] = ImageTensors.toChw(image.pixels(), size);
            } catch (IOException e) {
                throw new TrainingDataException("image " + id + " could not be read: " + e.getMessage(), "image",
                        split, row);
            } catch (NotAnImageException | UndecodableImageException | ImageTooLargeException e) {
                // The upload checked every image; a stored one that no longer decodes is damaged data.
                throw new TrainingDataException("image " + id + " does not decode: " + e.getMessage(), "image", split,
                        row);
            }
        }
        return pixels;
    }

    /** The square side images are resized to. */
    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public Map<String, byte[]> entries() {
        return Map.of(ChannelStats.ENTRY, stats.toBytes());
    }

    @Override
    public long fingerprint() {
        return 31L * size + Arrays.hashCode(stats.toBytes());
    }
}
