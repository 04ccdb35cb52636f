package io.modelyard.testing;

import io.modelyard.ml.SyntheticData;
import io.modelyard.ml.TinySpecs;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingSpec;

/**
 * Tiny real models, trained once per JVM with the platform's own {@link ModelTrainer} on generated data with a
 * known answer (see {@link SyntheticData}): a topic classifier for texts, a credit-risk classifier and a
 * house-price regressor for tabular rows. Register them for a tenant with {@link ModelFixtures}.
 */
public final class TrainedModels {

    /** A trained model with the data and spec it came from. */
    public record Trained(String name, TrainingSpec spec, TrainingData data, TrainingOutcome outcome) {

        public byte[] artifact() {
            return outcome.artifact();
        }
    }

    private static Trained topics;
    private static Trained credit;
    private static Trained prices;

    static {
        // A shared 2-core machine: one engine thread each, as the ml tests do, unless the run sets its own.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null
                && System.getenv("DJL_PYTORCH_NUM_THREADS") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    private TrainedModels() {
    }

    /** Texts about sport, politics or science: the topic word gives it away. */
    public static synchronized Trained topics() {
        if (topics == null) {
            topics = train("topics", TinySpecs.text(Architecture.BAG_OF_EMBEDDINGS, 6),
                    SyntheticData.topics(600, 150, 150, 21));
        }
        return topics;
    }

    /** Credit risk from income, debt and region: risky when debt exceeds half the income. */
    public static synchronized Trained credit() {
        if (credit == null) {
            credit = train("credit", TinySpecs.tabular(TaskType.TABULAR_CLASSIFICATION, 12),
                    SyntheticData.credit(600, 150, 150, 31));
        }
        return credit;
    }

    /** House prices from size, age and region. */
    public static synchronized Trained prices() {
        if (prices == null) {
            prices = train("prices", TinySpecs.tabular(TaskType.TABULAR_REGRESSION, 20),
                    SyntheticData.prices(600, 150, 150, 32));
        }
        return prices;
    }

    /** Trains a model on {@code data}; for tests that need a model of their own (another artifact). */
    public static Trained train(String name, TrainingSpec spec, TrainingData data) {
        TrainingOutcome outcome = ModelTrainer.load().train(spec, data, CheckpointSink.inMemory(),
                TrainingListener.NONE, StopSignal.NEVER);
        return new Trained(name, spec, data, outcome);
    }
}
