package io.modelyard.ml;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.modelyard.ml.nn.Networks;
import io.modelyard.ml.text.TextEncoding;
import io.modelyard.ml.text.TextPreprocessing;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline of the training benchmark: the same network, data, batch size and threads as
 * {@link EngineTrainingRun}, trained by plain DJL — an {@link ArrayDataset} of pre-padded arrays, DJL's Adam and
 * {@link EasyTrain#fit} with a validation set, no listeners. Prints {@code samples_per_s} and the RSS.
 */
public final class BareTrainingBaseline {

    private BareTrainingBaseline() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkSetup setup = new BenchmarkSetup(args);
        EngineSetup.engine();
        TrainingData data = setup.data();
        TrainingSpec spec = setup.spec();
        TextPreprocessing preprocessing = TextPreprocessing.fit(setup.architecture, data.train(),
                setup.vocabulary, setup.length);
        ModelShape shape = new ModelShape(data.task(), setup.architecture, spec.hyperparameters(),
                preprocessing.inputSize(), data.labelClasses().size());
        Device device = EngineSetup.device();
        try (Model model = Model.newInstance("bare", device, EngineSetup.ENGINE_NAME);
                NDManager manager = NDManager.newBaseManager(device)) {
            model.setBlock(Networks.build(shape));
            ArrayDataset train = dataset(manager, preprocessing.encoding(), data.train(), data, setup, true);
            ArrayDataset validation = dataset(manager, preprocessing.encoding(), data.validation(), data, setup,
                    false);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed((float) setup.learningRate)).build())
                    .optDevices(new Device[] {device});
            List<String> rssByEpoch = new ArrayList<>();
            config.addTrainingListeners(new TrainingListenerAdapter() {
                @Override
                public void onEpoch(Trainer trainer) {
                    rssByEpoch.add(BenchmarkSetup.memory());
                }
            });
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(Networks.initialShapes(shape));
                long rssBefore = ProcessMemory.residentBytes();
                long started = System.nanoTime();
                long cpuStarted = BenchmarkSetup.threadCpuNanos();
                EasyTrain.fit(trainer, setup.epochs, train, validation);
                long cpu = BenchmarkSetup.threadCpuNanos() - cpuStarted;
                long wall = System.nanoTime() - started;
                long rssAfter = ProcessMemory.residentBytes();
                System.out.println("bare_training " + setup.describe());
                BenchmarkSetup.printRates((long) data.train().size() * setup.epochs, wall, cpu);
                System.out.println("rss_before_mb=" + BenchmarkSetup.megabytes(rssBefore) + " rss_after_mb="
                        + BenchmarkSetup.megabytes(rssAfter));
                System.out.println("memory_by_epoch=" + String.join(" ", rssByEpoch));
            }
        }
    }

    /** Every text padded to the same length once, up front, as a plain DJL user would. */
    private static ArrayDataset dataset(NDManager manager, TextEncoding encoding, List<Example> examples,
            TrainingData data, BenchmarkSetup setup, boolean shuffle) {
        int n = examples.size();
        int[] ids = new int[n * setup.length];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int[] encoded = encoding.encode(examples.get(i).text());
            System.arraycopy(encoded, 0, ids, i * setup.length, Math.min(encoded.length, setup.length));
            labels[i] = data.labelClasses().indexOf(examples.get(i).label());
        }
        NDArray x = manager.create(ids, new Shape(n, setup.length));
        NDArray y = manager.create(labels, new Shape(n));
        if (x.getDataType() != DataType.INT32) {
            throw new IllegalStateException("token indexes must be int32");
        }
        return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(setup.batch, shuffle).build();
    }
}
