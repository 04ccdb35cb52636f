package io.modelyard.ml.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.nn.Networks;
import io.modelyard.training.engine.Checkpoint;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.MessageLevel;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingCancelledException;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingPreemptedException;
import io.modelyard.training.engine.TrainingProgress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The training loop of one run: batches, optimizer steps, checkpoints, stop signals. Epoch ends (validation,
 * early stopping, metrics) are {@link EpochEnd}'s. Nothing here syncs with the device per batch: the epoch's
 * loss is summed on the device and read once at its end.
 */
final class TrainingRun {

    /**
     * PyTorch has one autograd recorder and one random generator per process, so steps of concurrent runs take
     * turns; each step reseeds the generator, which keeps every run reproducible.
     */
    private static final ReentrantLock STEP_LOCK = new ReentrantLock();
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    private final PreparedData data;
    private final List<String> labels;
    private final Hyperparameters h;
    private final CheckpointSink sink;
    // when the run last saved a checkpoint (or started): epoch ends checkpoint once the sink's interval has passed
    private long lastSaved = System.nanoTime();
    private final TrainingListener listener;
    private final StopSignal stop;
    private final Device device;
    private final RunState state;
    private final CheckpointCodec.Decoded resumeFrom;
    private final Initialization init;
    private final ModelArtifact source;

    // rows per step: the batch size, or the whole split when it is smaller
    private final int batchSize;
    private Block block;
    private PruningMask mask;
    private StatefulOptimizer optimizer;
    private Map<String, String> parameterNames;
    private long lastProgress;

    TrainingRun(PreparedData data, List<String> labels, CheckpointSink sink, TrainingListener listener,
            StopSignal stop, RunState state, CheckpointCodec.Decoded resumeFrom, Initialization init,
            ModelArtifact source) {
        this.init = init;
        this.source = source;
        this.data = data;
        this.labels = labels;
        this.h = data.shape.hyperparameters();
        this.sink = sink;
        this.listener = listener;
        this.stop = stop;
        this.device = EngineSetup.device();
        this.state = state;
        this.resumeFrom = resumeFrom;
        this.batchSize = Math.min(h.batchSize(), data.train.size());
    }

    Device device() {
        return device;
    }

    /** Trains until the last epoch or early stopping; returns the best weights. */
    byte[] run() throws IOException {
        Engine engine = EngineSetup.engine();
        EngineSetup.noGradOnThisThread();
        block = Networks.build(data.shape);
        optimizer = new StatefulOptimizer(h.optimizer(), h.momentum(), h.weightDecay());
        try (Model model = Model.newInstance("training", device, EngineSetup.ENGINE_NAME)) {
            Loss validationLoss = Losses.of(data.shape.outputKind(), h, labels,
                    data.trainTargets.classCounts(labels.size()), model.getNDManager());
            Loss loss = init.teacher() == null ? validationLoss
                    : new DistillationLoss(init.teacher().temperature(), init.teacher().alpha());
            model.setBlock(block);
            Shape[] shapes = Networks.initialShapes(data.shape);
            STEP_LOCK.lock();
            try {
                engine.setRandomSeed(Seeds.engineSeed(h.seed(), -1));
                block.initialize(model.getNDManager(), DataType.FLOAT32, shapes);
            } finally {
                STEP_LOCK.unlock();
            }
            startFrom(model.getNDManager());
            mask = PruningMask.of(block, init.pruneSparsity(), model.getNDManager());
            if (resumeFrom != null) {
                try {
                    block.loadParameters(model.getNDManager(), stream(resumeFrom.weights()));
                } catch (MalformedModelException e) {
                    throw new IOException("checkpoint weights do not fit the network: " + e.getMessage(), e);
                }
            }
            mask.apply();
            WarmStart.freeze(block, init.freeze());
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(optimizer)
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(shapes);
                parameterNames = parameterNames(block);
                if (resumeFrom != null) {
                    Map<String, String> ids = new HashMap<>();
                    parameterNames.forEach((id, name) -> ids.put(name, id));
                    optimizer.load(stream(resumeFrom.optimizer()), ids, model.getNDManager());
                    listener.resumed(state.completedEpochs, state.globalStep);
                    listener.message(MessageLevel.INFO, "resumed from epoch " + state.completedEpochs + ", step "
                            + state.globalStep);
                }
                epochs(trainer, loss, validationLoss);
            }
        }
        return state.bestWeights;
    }

    /** Transfer learning: the source model's weights, then word vectors, over the fresh initialisation. */
    private void startFrom(NDManager manager) throws IOException {
        if (source != null) {
            boolean sameLabels = source.manifest().labels().equals(labels);
            int copied = WarmStart.copyFrom(source, block, manager, sameLabels);
            listener.message(MessageLevel.INFO, "initialised " + copied + " of " + block.getParameters().size()
                    + " weight arrays from the source model" + (sameLabels ? "" : "; new head for the new labels"));
        }
        if (init.wordVectors() != null) {
            if (!(data.preprocessing instanceof io.modelyard.ml.text.TextPreprocessing text)) {
                throw new IOException("word vectors need a text model");
            }
            int found = WarmStart.wordVectors(init.wordVectors(), text.encoding().vocabulary(), block);
            listener.message(MessageLevel.INFO, "initialised the embeddings of " + found + " of "
                    + (text.encoding().vocabulary().size() - 2) + " vocabulary words from the word vectors");
        }
    }

    private void epochs(Trainer trainer, Loss loss, Loss validationLoss) throws IOException {
        int n = data.train.size();
        int batch = batchSize;
        int stepsPerEpoch = (n + batch - 1) / batch;
        long totalSteps = (long) stepsPerEpoch * h.epochs();
        EpochEnd epochEnd = new EpochEnd(data, labels, h, state, listener);
        while (state.completedEpochs < h.epochs() && !state.earlyStopped) {
            int epoch = state.completedEpochs;
            int[] order = Seeds.permutation(n, h.seed(), epoch);
            long started = System.nanoTime();
            try (NDManager epochManager = trainer.getManager().newSubManager()) {
                EpochRows rows = EpochRows.of(data, order, epochManager);
                // the epoch's loss in full batches' mean losses (one in-place add a step); the state keeps it per sample
                NDArray lossSum = epochManager.create((float) (state.epochLossSum / batch));
                for (int step = state.stepInEpoch; step < stepsPerEpoch; step++) {
                    pollStop(lossSum, epoch, step);
                    int from = step * batch;
                    int to = Math.min(n, from + batch);
                    float rate = (float) (h.learningRate() * h.schedule().factor(state.globalStep, totalSteps));
                    trainBatch(trainer, loss, rows, from, to, rate, lossSum);
                    state.globalStep++;
                    state.samplesSeen += to - from;
                    state.epochSamples += to - from;
                    if (h.checkpointEverySteps() > 0 && state.globalStep % h.checkpointEverySteps() == 0
                            && step + 1 < stepsPerEpoch) {
                        save(lossSum, epoch, step + 1, null);
                    }
                    progress(epoch, totalSteps, false);
                }
                double trainLoss = (double) lossSum.getFloat() * batch / Math.max(1, state.epochSamples);
                float rate = (float) (h.learningRate() * h.schedule().factor(state.globalStep - 1, totalSteps));
                byte[] current = null;
                if (epochEnd.finish(trainer, validationLoss, epoch, trainLoss, rate, started)) {
                    current = weights();
                    state.bestWeights = current;
                }
                progress(epoch, totalSteps, true);
                boolean last = state.completedEpochs >= h.epochs() || state.earlyStopped;
                if (last || System.nanoTime() - lastSaved >= sink.epochInterval().toNanos()) {
                    save(null, state.completedEpochs, 0, current);
                }
            }
        }
        if (state.earlyStopped) {
            listener.message(MessageLevel.INFO, "early stopping after epoch " + state.completedEpochs
                    + ": no better validation loss for " + h.earlyStoppingPatience() + " epochs; keeping epoch "
                    + state.bestEpoch);
        }
    }

    private void trainBatch(Trainer trainer, Loss loss, EpochRows rows, int from, int to, float rate, NDArray lossSum) {
        try (NDManager batchManager = trainer.getManager().newSubManager()) {
            NDList inputs = rows.inputs(batchManager, from, to);
            NDList labelsBatch = rows.labels(batchManager, from, to);
            NDArray batchLoss;
            STEP_LOCK.lock();
            try {
                EngineSetup.engine().setRandomSeed(Seeds.engineSeed(h.seed(), state.globalStep));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    batchLoss = loss.evaluate(labelsBatch, trainer.forward(inputs));
                    collector.backward(batchLoss);
                }
                if (h.gradientClipNorm() > 0) {
                    clipGradients(batchManager, (float) h.gradientClipNorm());
                }
                optimizer.beginStep(state.globalStep, rate);
                trainer.step();
                mask.apply();
            } finally {
                STEP_LOCK.unlock();
            }
            lossSum.addi(to - from == batchSize ? batchLoss : batchLoss.mul((to - from) / (float) batchSize));
        }
    }

    /**
     * Scales every gradient by min(1, max / global L2 norm), on the device (no sync with the host). The gradient
     * handles and intermediates live in {@code scope}, closed with the batch; the scaling is in place.
     */
    private void clipGradients(NDManager scope, float max) {
        List<NDArray> gradients = new java.util.ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray gradient = p.getValue().getArray().getGradient();
                gradient.attach(scope);
                gradients.add(gradient);
            }
        }
        NDArray total = null;
        for (NDArray gradient : gradients) {
            NDArray squares = gradient.square().sum();
            total = total == null ? squares : total.add(squares);
        }
        if (total == null) {
            return;
        }
        NDArray factor = total.sqrt().add(1e-6f).pow(-1f).mul(max).minimum(1f);
        for (NDArray gradient : gradients) {
            gradient.muli(factor);
        }
    }

    private void pollStop(NDArray lossSum, int epoch, int step) throws IOException {
        if (stop.cancelRequested()) {
            throw new TrainingCancelledException(state.globalStep);
        }
        if (stop.checkpointAndStopRequested()) {
            Checkpoint checkpoint = save(lossSum, epoch, step, null);
            listener.message(MessageLevel.WARN, "stopping for preemption at epoch " + (epoch + 1) + ", step "
                    + state.globalStep + "; checkpoint saved");
            throw new TrainingPreemptedException(checkpoint);
        }
    }

    /** Saves a checkpoint; {@code currentWeights} when already serialised, else null. */
    private Checkpoint save(NDArray lossSum, int completedEpochs, int stepInEpoch, byte[] currentWeights)
            throws IOException {
        state.completedEpochs = completedEpochs;
        state.stepInEpoch = stepInEpoch;
        if (lossSum != null) {
            state.epochLossSum = (double) lossSum.getFloat() * batchSize;
        }
        ByteArrayOutputStream optimizerState = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(optimizerState)) {
            optimizer.save(out, parameterNames);
        }
        byte[] bytes = CheckpointCodec.encode(state, currentWeights != null ? currentWeights : weights(),
                optimizerState.toByteArray());
        Checkpoint checkpoint = new Checkpoint(completedEpochs, stepInEpoch, state.globalStep, bytes);
        sink.save(checkpoint);
        lastSaved = System.nanoTime();
        return checkpoint;
    }

    private void progress(int epoch, long totalSteps, boolean force) {
        long now = System.nanoTime();
        if (force || now - lastProgress >= PROGRESS_EVERY_NANOS) {
            lastProgress = now;
            listener.progress(new TrainingProgress(epoch + 1, h.epochs(), state.globalStep, totalSteps,
                    state.samplesSeen));
        }
    }

    private byte[] weights() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private static Map<String, String> parameterNames(Block block) {
        Map<String, String> names = new HashMap<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            names.put(parameter.getValue().getId(), parameter.getKey());
        }
        return names;
    }

    private static DataInputStream stream(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
