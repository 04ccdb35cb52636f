package io.modelyard.serving.batch;

import io.modelyard.dataset.split.Split;
import io.modelyard.serving.engine.PredictionInput;
import java.io.Closeable;
import java.io.IOException;

/** The rows a batch prediction reads, one at a time: a dataset version's or an uploaded file's. */
interface InputRows extends Closeable {

    /** Advances to the next row; false at the end. */
    boolean next() throws IOException;

    /** The current row as the model's input. */
    PredictionInput input();

    /** The current row's split; null for uploaded rows, which have none. */
    Split split();

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
