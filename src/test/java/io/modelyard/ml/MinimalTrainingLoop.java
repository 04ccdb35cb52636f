package io.modelyard.ml;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.modelyard.ml.nn.Networks;
import io.modelyard.ml.tabular.TabularEncoding;
import io.modelyard.ml.tabular.TabularPreprocessing;
import io.modelyard.ml.text.TextPreprocessing;
import io.modelyard.ml.train.StatefulOptimizer;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.OptimizerKind;
import io.modelyard.training.engine.TrainingData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The limit of the training benchmark: the least a DJL program can do to train the platform's network. The
 * training split is encoded by the platform's own preprocessing and laid out once, up front, as batches of
 * {@code NDArray}s on the device (shuffled once); then every step is forward, loss, backward and an Adam step
 * (the platform's {@link StatefulOptimizer}: DJL's fused Adam, and the same arithmetic on a token table's sparse
 * gradient), with the step's intermediates in one {@link NDManager} closed after it. No listeners, metrics, validation,
 * checkpoints, logging or host syncs. The network comes from {@link Networks#build}, as the platform's, so both
 * train the same parameters with the same initialisation.
 *
 * <p>{@code main} takes {@link BenchmarkSetup}'s arguments plus {@code device=cpu|gpu} and {@code warmup=<steps>}
 * (untimed steps first, as the platform's warm-up job; default 20), and prints {@code samples_per_s}.
 */
public final class MinimalTrainingLoop implements AutoCloseable {

    private final Model model;
    private final Trainer trainer;
    private final Loss loss;
    private final StatefulOptimizer optimizer;
    private final float learningRate;
    private long steps;
    private final NDManager data;
    private final List<NDList[]> batches = new ArrayList<>();
    private final int samples;

    /** Builds the network and the batches; {@code device} is where both live. */
    public MinimalTrainingLoop(BenchmarkSetup setup, Device device) {
        TrainingData trainingData = setup.data();
        Hyperparameters h = setup.spec().hyperparameters();
        Preprocessing preprocessing = trainingData.task().isText()
                ? TextPreprocessing.fit(setup.architecture, trainingData.train(), h)
                : new TabularPreprocessing(
                        TabularEncoding.fitAndEncode(trainingData.features(), trainingData.train()).encoding());
        ModelShape shape = new ModelShape(trainingData.task(), setup.architecture, h, preprocessing.inputSize(),
                trainingData.labelClasses().size());
        EngineSetup.engine().setRandomSeed((int) setup.seed);
        EngineSetup.noGradOnThisThread();
        model = Model.newInstance("minimal", device, EngineSetup.ENGINE_NAME);
        Block block = Networks.build(shape);
        model.setBlock(block);
        Shape[] shapes = Networks.initialShapes(shape);
        block.initialize(model.getNDManager(), DataType.FLOAT32, shapes);
        loss = loss(shape.outputKind());
        // the platform's optimizer: the same arithmetic as DJL's Adam, and it takes a token table's sparse gradient
        optimizer = new StatefulOptimizer(OptimizerKind.ADAM, 0.9, 0);
        learningRate = (float) h.learningRate();
        trainer = model.newTrainer(new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device}));
        trainer.initialize(shapes);
        data = model.getNDManager().newSubManager(device);
        // DJL's gradient collector zeroes gradients on close by walking every array under the system manager,
        // one native call each: batches laid out under it would make each step walk the whole dataset, a cost
        // of where this benchmark keeps its data, not of training. Kept outside that tree, they are visited
        // only while attached to the step that uses them.
        model.getNDManager().detachInternal(data.getName()); // a manager without a name is named by its uid
        List<Example> train = trainingData.train();
        samples = train.size();
        EncodedRows rows = preprocessing.examples(train, "train");
        int[] order = EncodedRows.inOrder(samples);
        shuffle(order, new Random(setup.seed));
        for (int from = 0; from < samples; from += setup.batch) {
            int to = Math.min(samples, from + setup.batch);
            NDList inputs = rows.batch(data, order, from, to);
            NDList labels = new NDList(labels(data, shape, trainingData, order, from, to));
            batches.add(new NDList[] {inputs, labels});
        }
    }

    /** The loss the platform picks for these outputs with default hyperparameters. */
    private static Loss loss(ModelShape.OutputKind kind) {
        switch (kind) {
            case SOFTMAX:
                return Loss.softmaxCrossEntropyLoss();
            case SIGMOID:
                return Loss.sigmoidBinaryCrossEntropyLoss();
            default:
                return Loss.l2Loss("MeanSquaredError", 1f);
        }
    }

    /** Class indexes as int64 (batch) for softmax; the second label as 1f in (batch, 1) for sigmoid. */
    private static NDArray labels(NDManager manager, ModelShape shape, TrainingData data, int[] order, int from,
            int to) {
        int rows = to - from;
        if (shape.outputKind() == ModelShape.OutputKind.SOFTMAX) {
            long[] classes = new long[rows];
            for (int r = 0; r < rows; r++) {
                classes[r] = data.labelClasses().indexOf(data.train().get(order[from + r]).label());
            }
            return manager.create(classes, new Shape(rows));
        }
        float[] positive = new float[rows];
        for (int r = 0; r < rows; r++) {
            positive[r] = data.labelClasses().indexOf(data.train().get(order[from + r]).label()) == 1 ? 1f : 0f;
        }
        return manager.create(positive, new Shape(rows, 1));
    }

    private static void shuffle(int[] order, Random random) {
        List<Integer> list = new ArrayList<>(order.length);
        for (int i : order) {
            list.add(i);
        }
        Collections.shuffle(list, random);
        for (int i = 0; i < order.length; i++) {
            order[i] = list.get(i);
        }
    }

    /** Training rows per epoch. */
    public int samples() {
        return samples;
    }

    public int batchCount() {
        return batches.size();
    }

    /**
     * Runs {@code epochs} passes over the batches.
     *
     * @param recordLosses read each step's loss back to the host (tests only: a sync per step)
     * @return each step's loss when recorded, else an empty array
     */
    public float[] train(int epochs, boolean recordLosses) {
        float[] losses = new float[recordLosses ? epochs * batches.size() : 0];
        int step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (NDList[] batch : batches) {
                float value = step(batch, recordLosses);
                if (recordLosses) {
                    losses[step] = value;
                }
                step++;
            }
        }
        return losses;
    }

    /** The first {@code steps} batches once, untimed: loads kernels and warms the JIT. */
    public void warmUp(int steps) {
        for (int i = 0; i < Math.min(steps, batches.size()); i++) {
            step(batches.get(i), false);
        }
    }

    private float step(NDList[] batch, boolean readLoss) {
        float value = Float.NaN;
        try (NDManager scope = trainer.getManager().newSubManager()) {
            // intermediates follow their first operand's manager: the batch joins the scope for this step only
            batch[0].tempAttach(scope);
            batch[1].tempAttach(scope);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray batchLoss = loss.evaluate(batch[1], trainer.forward(batch[0]));
                collector.backward(batchLoss);
                if (readLoss) {
                    value = batchLoss.getFloat();
                }
            }
            optimizer.beginStep(steps++, learningRate);
            trainer.step();
        }
        return value;
    }

    @Override
    public void close() {
        data.close();
        trainer.close();
        model.close();
    }

    public static void main(String[] args) {
        BenchmarkSetup setup = new BenchmarkSetup(args);
        String deviceName = "";
        int warmup = 20;
        for (String arg : args) {
            if (arg.startsWith("device=")) {
                deviceName = arg.substring("device=".length());
            } else if (arg.startsWith("warmup=")) {
                warmup = Integer.parseInt(arg.substring("warmup=".length()));
            }
        }
        Device device = switch (deviceName) {
            case "gpu" -> Device.gpu();
            case "cpu" -> Device.cpu();
            default -> EngineSetup.device();
        };
        try (MinimalTrainingLoop loop = new MinimalTrainingLoop(setup, device)) {
            loop.warmUp(warmup);
            long rssBefore = ProcessMemory.residentBytes();
            long started = System.nanoTime();
            long cpuStarted = BenchmarkSetup.threadCpuNanos();
            loop.train(setup.epochs, false);
            long cpu = BenchmarkSetup.threadCpuNanos() - cpuStarted;
            long wall = System.nanoTime() - started;
            long rssAfter = ProcessMemory.residentBytes();
            System.out.println("minimal_training " + setup.describe() + " device=" + EngineSetup.deviceKind(device));
            BenchmarkSetup.printRates((long) loop.samples() * setup.epochs, wall, cpu);
            System.out.println("rss_before_mb=" + BenchmarkSetup.megabytes(rssBefore) + " rss_after_mb="
                    + BenchmarkSetup.megabytes(rssAfter));
        }
    }
}
