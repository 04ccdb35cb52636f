package io.modelyard.training.engine;

import java.util.ServiceLoader;

/**
 * Trains one model: a plain function of data, hyperparameters and a checkpoint sink. It knows nothing of
 * tenants, jobs, HTTP or storage. The implementation lives in {@code io.modelyard.ml} and is found with
 * {@link #load()}, so that a process that never trains never loads the deep learning engine.
 */
public interface ModelTrainer {

    /**
     * Trains, evaluates on the test split and packs the model. Resumes from {@code sink.latest()} when present.
     * Blocks the calling thread for the whole run.
     *
     * @throws InvalidTrainingSpecException when the spec does not fit the task or data
     * @throws TrainingDataException when the data cannot be trained on
     * @throws TrainingCancelledException when {@code stop} asked to cancel
     * @throws TrainingPreemptedException when {@code stop} asked to checkpoint and stop (checkpoint saved)
     */
    default TrainingOutcome train(TrainingSpec spec, TrainingData data, CheckpointSink sink, TrainingListener listener,
            StopSignal stop) {
        return train(spec, data, Initialization.NONE, sink, listener, stop);
    }

    /**
     * As {@link #train(TrainingSpec, TrainingData, CheckpointSink, TrainingListener, StopSignal)}, starting as
     * {@code init} says: from an earlier model, word vectors or an encoder, under a teacher, or pruned.
     *
     * @throws InvalidTrainingSpecException also when {@code init} does not fit the spec or data (another
     *         architecture, a vector width that is not the embedding width)
     */
    TrainingOutcome train(TrainingSpec spec, TrainingData data, Initialization init, CheckpointSink sink,
            TrainingListener listener, StopSignal stop);

    /** Where this trainer runs: {@code gpu} when one is visible, else {@code cpu}. */
    default String device() {
        return "cpu";
    }

    /** The implementation on the class path (one {@code META-INF/services} entry), loaded on first call. */
    static ModelTrainer load() {
        return ServiceLoader.load(ModelTrainer.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no ModelTrainer on the class path (META-INF/services/" + ModelTrainer.class.getName() + ")"));
    }
}
