/**
 * The vocabulary that datasets, training, serving and the engine in {@code ml} share: what a model is for
 * ({@link io.modelyard.model.spec.TaskType}), which network it is ({@link io.modelyard.model.spec.Architecture})
 * and what it reads ({@link io.modelyard.model.spec.FeatureColumn}). Plain values with their wire names, no
 * dependency on any feature package, on HTTP or on the database.
 */
package io.modelyard.model.spec;
