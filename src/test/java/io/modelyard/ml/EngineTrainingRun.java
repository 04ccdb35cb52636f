package io.modelyard.ml;

import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.EpochMetrics;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The platform side of the training benchmark: {@link ModelTrainer#train} (found through ServiceLoader, as the
 * worker does) on the same data, network, batch size and threads as {@link MinimalTrainingLoop}. The time
 * covers the whole call: preprocessing, training, per-epoch validation and checkpoints, the artifact and the
 * test evaluation. Prints {@code samples_per_s} and the RSS.
 */
public final class EngineTrainingRun {

    private EngineTrainingRun() {
    }

    public static void main(String[] args) {
        BenchmarkSetup setup = new BenchmarkSetup(args);
        EngineSetup.engine();
        TrainingData data = setup.data();
        List<String> rssByEpoch = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void epochCompleted(EpochMetrics metrics) {
                rssByEpoch.add(BenchmarkSetup.memory());
            }
        };
        ModelTrainer trainer = ModelTrainer.load();
        long rssBefore = ProcessMemory.residentBytes();
        long started = System.nanoTime();
        long cpuStarted = BenchmarkSetup.threadCpuNanos();
        TrainingOutcome outcome = trainer.train(setup.spec(), data, CheckpointSink.inMemory(), listener,
                StopSignal.NEVER);
        long cpu = BenchmarkSetup.threadCpuNanos() - cpuStarted;
        long wall = System.nanoTime() - started;
        long rssAfter = ProcessMemory.residentBytes();
        System.out.println("engine_training " + setup.describe());
        BenchmarkSetup.printRates(outcome.samplesProcessed(), wall, cpu);
        System.out.printf(Locale.ROOT, "test_accuracy=%.4f epochs=%d device=%s%n",
                outcome.evaluation().classification().accuracy(), outcome.epochsRun(), outcome.device());
        System.out.println("rss_before_mb=" + BenchmarkSetup.megabytes(rssBefore) + " rss_after_mb="
                + BenchmarkSetup.megabytes(rssAfter));
        System.out.println("memory_by_epoch=" + String.join(" ", rssByEpoch));
    }
}
