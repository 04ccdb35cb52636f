package io.modelyard.serving.bench;

import io.modelyard.ml.SyntheticData;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.testing.TrainedModels;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.LearningRateSchedule;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * For {@code bench/predict.sh}: trains the small text model the benchmark serves (the platform's own trainer,
 * generated topic texts) and writes its artifact and a file of request texts, one per line.
 *
 * <pre>java -cp ... io.modelyard.serving.bench.BenchModel &lt;artifact.zip&gt; &lt;texts.txt&gt; [architecture]</pre>
 */
public final class BenchModel {

    private BenchModel() {
    }

    public static void main(String[] args) throws IOException {
        Architecture architecture = Architecture.fromWire(args.length > 2 ? args[2] : "text_cnn");
        TrainingSpec spec = TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, architecture, SizePreset.SMALL,
                new HyperparameterOverrides(3, 64, 5e-3, LearningRateSchedule.CONSTANT, null, null, null, 0.1, 0,
                        null, null, null, null, null, null, 7L, 0));
        TrainedModels.Trained model = TrainedModels.train("bench", spec, SyntheticData.topics(3000, 300, 300, 11));
        Files.write(Path.of(args[0]), model.artifact());
        List<String> texts = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            texts.add(SyntheticData.sentence(random, SyntheticData.TOPIC_WORDS.get(i % 3)));
        }
        Files.write(Path.of(args[1]), texts);
        System.out.println("architecture=" + architecture.wireName() + " accuracy="
                + model.outcome().evaluation().classification().accuracy() + " artifact_bytes="
                + model.artifact().length);
    }
}
