package io.modelyard.training.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.model.spec.WireNames;

/**
 * The update rule. {@code sgd} uses {@link Hyperparameters#momentum()} (heavy ball, no dampening) and adds
 * {@code weight_decay} to the gradient (L2); {@code adam} uses beta1 0.9, beta2 0.999, epsilon 1e-8 and L2
 * weight decay; {@code adamw} is Adam with weight decay decoupled from the gradient (Loshchilov and Hutter).
 */
public enum OptimizerKind {
    SGD, ADAM, ADAMW;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static OptimizerKind fromWire(String value) {
        return WireNames.parse(OptimizerKind.class, value);
    }
}
