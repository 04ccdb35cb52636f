package io.modelyard.training;

import io.modelyard.ml.train.DjlModelTrainer;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingSpec;

/**
 * The engine as tests see it (registered for ServiceLoader in the test class path, ahead of the real one): the
 * real DJL trainer, except that while {@link #reportGpu} is on it reports a GPU where the engine reports its
 * device — the boundary a GPU worker differs at. Nothing of the platform is replaced: the job handler, the
 * quotas and the ledger run as they do on a GPU node.
 */
public final class FakeGpuTrainer implements ModelTrainer {

    private static volatile boolean reportGpu;

    private final ModelTrainer engine = new DjlModelTrainer();

    /** Reports a GPU until the returned handle is closed. */
    static AutoCloseable reportingGpu() {
        reportGpu = true;
        return () -> reportGpu = false;
    }

    @Override
    public String device() {
        return reportGpu ? "gpu" : engine.device();
    }

    @Override
    public TrainingOutcome train(TrainingSpec spec, TrainingData data, Initialization init, CheckpointSink sink,
            TrainingListener listener, StopSignal stop) {
        TrainingOutcome outcome = engine.train(spec, data, init, sink, listener, stop);
        if (!reportGpu) {
            return outcome;
        }
        return new TrainingOutcome(outcome.artifact(), outcome.evaluation(), outcome.samplesProcessed(),
                outcome.epochsRun(), outcome.bestEpoch(), outcome.earlyStopped(), "gpu", outcome.history());
    }
}
