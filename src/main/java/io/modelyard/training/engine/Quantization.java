package io.modelyard.training.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.model.spec.WireNames;

/**
 * How a model's weights are stored and served. {@code int8}: each row of a weight matrix as 8-bit integers with
 * one float scale (symmetric), a quarter of the bytes; {@code fp16}: half-precision floats, half the bytes.
 * Biases stay 32-bit. Loaded weights are expanded back to 32-bit floats, so the served model computes exactly
 * what its stored, quantized weights say.
 */
public enum Quantization {
    INT8, FP16;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static Quantization fromWire(String value) {
        return WireNames.parse(Quantization.class, value);
    }
}
