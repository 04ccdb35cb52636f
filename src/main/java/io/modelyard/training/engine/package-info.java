/**
 * What a training job asks of the engine, with no dependency on it: {@link io.modelyard.training.engine.ModelTrainer}
 * and its inputs and outputs. The platform resolves a {@link io.modelyard.training.engine.TrainingSpec} from a
 * request ({@code TrainingSpec.resolve(task, architecture, size, overrides)}), answers 400 with
 * {@code spec.validate(labelCount)}, builds {@link io.modelyard.training.engine.TrainingData} from a dataset
 * version, and calls {@code ModelTrainer.load().train(spec, data, sink, listener, stop)} on a worker thread.
 */
package io.modelyard.training.engine;
