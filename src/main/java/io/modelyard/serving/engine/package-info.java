/**
 * What serving asks of the engine, with no dependency on it: {@link io.modelyard.serving.engine.ModelRuntime}
 * loads an artifact into a thread-safe {@link io.modelyard.serving.engine.LoadedModel}; keep loaded models in a
 * cache bounded by {@code approximateSizeBytes()}, close them on eviction, and map
 * {@link io.modelyard.serving.engine.InvalidInputException} to a 400 naming its field and row.
 */
package io.modelyard.serving.engine;
