package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.ml.serve.DjlLoadedModel;
import io.modelyard.ml.serve.DjlModelRuntime;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.Augmentation;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.ClassWeights;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.LossKind;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Loss choice, class weights, gradient clipping, hashed n-grams and augmentation in the engine. */
class TrainingKnobsTest extends EngineTests {

    private final ModelTrainer trainer = ModelTrainer.load();

    @Test
    void characterNgramsGiveAMisspelledWordTheSignalOfTheWordItResembles() {
        TrainingData topics = SyntheticData.topics(600, 150, 150, 81);
        String misspelled = "Today people said football again.".replace("football", "fotball");
        TrainingOutcome words = train(spec(Architecture.BAG_OF_EMBEDDINGS, 8, null, null, false), topics);
        TrainingOutcome subwords = train(spec(Architecture.BAG_OF_EMBEDDINGS, 8, null, null, true), topics);
        double withoutNgrams = sportProbability(words, misspelled);
        double withNgrams = sportProbability(subwords, misspelled);
        System.out.printf("P(sport | '%s'): words only %.3f, with character n-grams %.3f%n", misspelled,
                withoutNgrams, withNgrams);
        assertTrue(withNgrams > 0.6, "with n-grams " + withNgrams);
        assertTrue(withNgrams > withoutNgrams + 0.2, withNgrams + " vs " + withoutNgrams);
        assertTrue(subwords.evaluation().classification().accuracy() >= 0.95);
    }

    @Test
    void balancedClassWeightsRaiseTheRecallOfARareClass() {
        TrainingData rare = imbalanced(SyntheticData.topics(1500, 300, 600, 82));
        TrainingOutcome plain = train(spec(Architecture.LINEAR, 2, null, null, false), rare);
        TrainingOutcome weighted = train(spec(Architecture.LINEAR, 2, null, ClassWeights.BALANCED, false), rare);
        double before = recall(plain, "science");
        double after = recall(weighted, "science");
        System.out.printf("recall of the rare class: unweighted %.3f, balanced %.3f%n", before, after);
        assertTrue(after > before, after + " vs " + before);
    }

    @Test
    void focalLossGradientClippingAndRobustRegressionLossesTrain() {
        TrainingData topics = SyntheticData.topics(600, 150, 150, 83);
        TrainingSpec focal = spec(Architecture.BAG_OF_EMBEDDINGS, 6, LossKind.FOCAL, null, false);
        assertTrue(train(focal, topics).evaluation().classification().accuracy() >= 0.95);
        // clipping at a moderate norm still learns; at a tiny one, plain SGD barely moves in an epoch
        TrainingSpec clipped = TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, Architecture.TEXT_CNN,
                io.modelyard.training.engine.SizePreset.SMALL, overrides(4, 1e-2, null, null, false, 1.0, null));
        assertTrue(train(clipped, topics).evaluation().classification().accuracy() >= 0.95);
        double free = sgdFirstEpochLoss(topics, 0);
        double held = sgdFirstEpochLoss(topics, 1e-3);
        assertTrue(held > free + 0.02, "clipped " + held + ", unclipped " + free);
        for (LossKind loss : List.of(LossKind.MAE, LossKind.HUBER)) {
            TrainingSpec spec = TrainingSpec.resolve(TaskType.TABULAR_REGRESSION, Architecture.MLP,
                    io.modelyard.training.engine.SizePreset.SMALL, overrides(25, 1e-2, loss, null, false, 0, null));
            double r2 = train(spec, SyntheticData.prices(600, 150, 150, 84)).evaluation().regression().r2();
            assertTrue(r2 > 0.9, loss + " R2 " + r2);
        }
    }

    @Test
    void augmentationAddsPerturbedCopiesOfTheTrainingTexts() {
        TrainingData topics = SyntheticData.topics(300, 150, 150, 85);
        TrainingSpec spec = TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, Architecture.BAG_OF_EMBEDDINGS,
                io.modelyard.training.engine.SizePreset.SMALL, overrides(3, 1e-2, null, null, false, 0,
                        new Augmentation(2, 0.1, 0.1)));
        TrainingOutcome outcome = train(spec, topics);
        assertEquals(3L * 300 * 3, outcome.samplesProcessed(), "three epochs of the texts and two copies each");
        assertTrue(outcome.evaluation().classification().accuracy() >= 0.95);
    }

    private double sgdFirstEpochLoss(TrainingData data, double clip) {
        HyperparameterOverrides o = overrides(1, 0.5, null, null, false, clip, null);
        TrainingSpec spec = TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, Architecture.BAG_OF_EMBEDDINGS,
                io.modelyard.training.engine.SizePreset.SMALL, new HyperparameterOverrides(o.epochs(), o.batchSize(),
                        o.learningRate(), null, io.modelyard.training.engine.OptimizerKind.SGD, 0.9, null, 0.0, 0,
                        o.maxSequenceLength(), o.vocabularySize(), o.embeddingSize(), o.hiddenSize(), o.layers(),
                        o.heads(), 7L, 0, null, null, clip, false, false, 2000, null));
        return train(spec, data).history().get(0).trainLoss();
    }

    private TrainingOutcome train(TrainingSpec spec, TrainingData data) {
        return trainer.train(spec, data, CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER);
    }

    private static TrainingSpec spec(Architecture architecture, int epochs, LossKind loss, ClassWeights weights,
            boolean ngrams) {
        return TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, architecture,
                io.modelyard.training.engine.SizePreset.SMALL, overrides(epochs,
                        architecture == Architecture.LINEAR ? 5e-2 : 1e-2, loss, weights, ngrams, 0, null));
    }

    private static HyperparameterOverrides overrides(int epochs, double rate, LossKind loss, ClassWeights weights,
            boolean ngrams, double clip, Augmentation augmentation) {
        return new HyperparameterOverrides(epochs, 32, rate, null, null, null, null, 0.1, 0, 32, 500, 32, 32, 2, 1, 7L,
                0, loss, weights, clip, ngrams, false, 2000, augmentation);
    }

    private static double sportProbability(TrainingOutcome outcome, String text) {
        try (DjlLoadedModel model = DjlModelRuntime.open(outcome.artifact(), 1)) {
            Prediction p = model.predict(List.of(PredictionInput.text(text))).get(0);
            return p.probabilities().get("sport");
        }
    }

    private static double recall(TrainingOutcome outcome, String label) {
        var perClass = outcome.evaluation().classification().perClass();
        return perClass.stream().filter(c -> c.label().equals(label)).findFirst().orElseThrow().recall();
    }

    /** The training split with all but one in twelve science texts left out. */
    private static TrainingData imbalanced(TrainingData data) {
        List<Example> train = new ArrayList<>();
        Random random = new Random(3);
        for (Example e : data.train()) {
            if (!e.label().equals("science") || random.nextInt(12) == 0) {
                train.add(e);
            }
        }
        return TrainingData.text(data.textColumn(), data.labelColumn(), data.labelClasses(), train,
                data.validation(), data.test());
    }
}
