package io.modelyard.serving.batch;

import io.modelyard.dataset.split.Split;
import io.modelyard.serving.engine.PredictionInput;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The rows a batch prediction reads, one at a time: a dataset version's or an uploaded file's. */
interface InputRows extends Closeable {

    /** The bytes of one of a dataset's images, by the id its rows hold. */
    @FunctionalInterface
    interface ImageSource {
        byte[] read(String imageId) throws IOException;
    }

    /** Advances to the next row; false at the end. */
    boolean next() throws IOException;

    /** The current row as the model's input. */
    PredictionInput input();

    /** The current row's split; null for uploaded rows, which have none. */
    Split split();

    /** The image the current row is, for an image model's rows; else null. */
    default ResultWriter.Image image() {
        return null;
    }

    /**
     * An image dataset version's rows: each row's image id is read from {@code imageColumn} and its bytes from
     * {@code images}, the dataset's own store; {@code firstFiles} names each id's first file in the upload.
     */
    static InputRows ofImages(io.modelyard.dataset.version.VersionReader rows, int imageColumn, ImageSource images,
            Map<String, String> firstFiles) {
        return new InputRows() {
            @Override
            public boolean next() throws IOException {
                return rows.next();
            }

            @Override
            public PredictionInput input() {
                try {
                    return PredictionInput.image(images.read(rows.get(imageColumn)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Split split() {
                return rows.split();
            }

            @Override
            public ResultWriter.Image image() {
                String id = rows.get(imageColumn);
                return new ResultWriter.Image(firstFiles.getOrDefault(id, id), id);
            }

            @Override
            public void close() throws IOException {
                rows.close();
            }
        };
    }

    /** The images of an uploaded zip, in archive order. */
    static InputRows of(ImageBatchFile.Reader images) {
        return new InputRows() {
            @Override
            public boolean next() throws IOException {
                return images.next();
            }

            @Override
            public PredictionInput input() {
                return PredictionInput.image(images.bytes());
            }

            @Override
            public Split split() {
                return null;
            }

            @Override
            public ResultWriter.Image image() {
                return new ResultWriter.Image(images.path(), images.sha256());
            }

            @Override
            public void close() throws IOException {
                images.close();
            }
        };
    }

    /** A dataset version's rows. */
    static InputRows of(io.modelyard.dataset.version.VersionReader rows, BatchInputs inputs) {
        return new InputRows() {
            @Override
            public boolean next() throws IOException {
                return rows.next();
            }

            @Override
            public PredictionInput input() {
                return inputs.read(rows::get);
            }

            @Override
            public Split split() {
                return rows.split();
            }

            @Override
            public void close() throws IOException {
                rows.close();
            }
        };
    }

    /** An uploaded file's records. */
    static InputRows of(io.modelyard.dataset.format.RecordReader records, BatchInputs inputs) {
        return new InputRows() {
            @Override
            public boolean next() throws IOException {
                return records.next();
            }

            @Override
            public PredictionInput input() {
                return inputs.read(records::get);
            }

            @Override
            public Split split() {
                return null;
            }

            @Override
            public void close() throws IOException {
                records.close();
            }
        };
    }
}
