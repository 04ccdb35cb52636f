/**
 * The machine learning engine: the only package that imports {@code ai.djl}. It implements
 * {@link io.modelyard.training.engine.ModelTrainer} ({@code ml.train.DjlModelTrainer}) and
 * {@link io.modelyard.serving.engine.ModelRuntime} ({@code ml.serve.DjlModelRuntime}), registered in
 * {@code META-INF/services}; nothing here is a CDI bean, and no class of this package is loaded until a worker
 * calls {@code ModelTrainer.load()} or {@code ModelRuntime.load()}.
 *
 * <h2>Engine and configuration</h2>
 * {@link io.modelyard.ml.EngineSetup} is the one place that configures PyTorch: offline mode (the native library
 * comes from the {@code pytorch-native-*} jar and is extracted to {@code ~/.djl.ai} or {@code $DJL_CACHE_DIR},
 * which must be writable), intra-op threads ({@code -Dai.djl.pytorch.num_threads} or
 * {@code DJL_PYTORCH_NUM_THREADS}; default: the JVM's available processors, which honours a container's CPU
 * limit), inter-op threads ({@code -Dai.djl.pytorch.num_interop_threads} or
 * {@code DJL_PYTORCH_NUM_INTEROP_THREADS}), and the device (the first GPU when visible, else the CPU).
 *
 * <h2>Training</h2>
 * One call trains, evaluates and packs a model. Per batch: encode rows from compact heap arrays into one array per
 * input, forward, loss, backward, one optimizer step; the epoch's loss is summed on the device. At each epoch end:
 * validation, early stopping on validation loss, a checkpoint. The artifact holds the weights of the epoch with
 * the lowest validation loss. Runs in one process may overlap (their steps take turns: PyTorch has one autograd
 * recorder and one random generator per process), but a worker gets the most from a device with one run at a time.
 * Reproducibility: the same seed, data and device give the same loss curve and weights, also across a
 * checkpoint and resume.
 *
 * <h2>Artifact</h2>
 * A zip, see {@link io.modelyard.ml.artifact.ModelArtifact}: {@code manifest.json}, {@code weights.params} and
 * {@code vocabulary.txt} or {@code features.json}.
 */
package io.modelyard.ml;
