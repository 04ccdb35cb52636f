package io.modelyard.ml.artifact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.modelyard.training.engine.Quantization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code weights.quantized}: every parameter of a network by name, weight matrices (two or more dimensions) as
 * {@code int8} rows with one symmetric float scale per row (the first dimension: an output unit, a vocabulary
 * word) or as {@code fp16}, everything else (biases) as 32-bit floats. Loading expands them back into the
 * network's 32-bit parameters.
 */
public final class QuantizedWeights {

    private static final int MAGIC = 0x4D595157; // "MYQW"
    private static final byte FLOAT32 = 0;
    private static final byte INT8_ROWS = 1;
    private static final byte FLOAT16 = 2;

    private QuantizedWeights() {
    }

    /** Encodes the parameters of an initialised block. */
    public static byte[] encode(Block block, Quantization quantization) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(1);
            var parameters = block.getParameters();
            out.writeInt(parameters.size());
            for (Pair<String, Parameter> p : parameters) {
                NDArray array = p.getValue().getArray();
                long[] shape = array.getShape().getShape();
                float[] values = array.toFloatArray();
                out.writeUTF(p.getKey());
                out.writeByte(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                if (shape.length < 2) {
                    out.writeByte(FLOAT32);
                    for (float v : values) {
                        out.writeFloat(v);
                    }
                } else if (quantization == Quantization.FP16) {
                    out.writeByte(FLOAT16);
                    for (float v : values) {
                        out.writeShort(HalfFloat.fromFloat(v));
                    }
                } else {
                    out.writeByte(INT8_ROWS);
                    int rows = (int) shape[0];
                    int width = values.length / rows;
                    float[] scales = new float[rows];
                    for (int r = 0; r < rows; r++) {
                        float max = 0;
                        for (int c = 0; c < width; c++) {
                            max = Math.max(max, Math.abs(values[r * width + c]));
                        }
                        scales[r] = max == 0 ? 1f : max / 127f;
                        out.writeFloat(scales[r]);
                    }
                    byte[] q = new byte[values.length];
                    for (int i = 0; i < values.length; i++) {
                        q[i] = (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scales[i / width])));
                    }
                    out.write(q);
                }
            }
        }
        return bytes.toByteArray();
    }

    /** Sets the parameters of an initialised block from encoded weights (every name must be there). */
    public static void load(Block block, byte[] encoded) throws IOException {
        Map<String, float[]> decoded = new HashMap<>();
        Map<String, Shape> shapes = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readInt() != MAGIC || in.readByte() != 1) {
                throw new IOException("not quantized weights of this format");
            }
            int count = in.readInt();
            for (int p = 0; p < count; p++) {
                String name = in.readUTF();
                long[] shape = new long[in.readByte()];
                long size = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                    size *= shape[d];
                }
                float[] values = new float[Math.toIntExact(size)];
                byte kind = in.readByte();
                if (kind == FLOAT32) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = in.readFloat();
                    }
                } else if (kind == FLOAT16) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = HalfFloat.toFloat(in.readShort());
                    }
                } else if (kind == INT8_ROWS) {
                    int rows = (int) shape[0];
                    int width = values.length / rows;
                    float[] scales = new float[rows];
                    for (int r = 0; r < rows; r++) {
                        scales[r] = in.readFloat();
                    }
                    byte[] q = new byte[values.length];
                    in.readFully(q);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = q[i] * scales[i / width];
                    }
                } else {
                    throw new IOException("unknown weight encoding " + kind);
                }
                decoded.put(name, values);
                shapes.put(name, new Shape(shape));
            }
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            float[] values = decoded.get(p.getKey());
            NDArray array = p.getValue().getArray();
            if (values == null || !shapes.get(p.getKey()).equals(array.getShape())) {
                throw new IOException("quantized weights do not fit the network at " + p.getKey());
            }
            array.set(values);
        }
    }

    /** IEEE 754 half precision, round to nearest even (Java 17 has no Float.floatToFloat16). */
    static final class HalfFloat {

        private HalfFloat() {
        }

        static short fromFloat(float value) {
            int bits = Float.floatToIntBits(value);
            int sign = (bits >>> 16) & 0x8000;
            int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
            int mantissa = bits & 0x7fffff;
            if (((bits >>> 23) & 0xff) == 0xff) {
                return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
            }
            if (exponent >= 0x1f) {
                return (short) (sign | 0x7c00);
            }
            if (exponent <= 0) {
                if (exponent < -10) {
                    return (short) sign;
                }
                mantissa |= 0x800000;
                int shift = 14 - exponent;
                int half = mantissa >> shift;
                int rest = mantissa & ((1 << shift) - 1);
                int midpoint = 1 << (shift - 1);
                if (rest > midpoint || rest == midpoint && (half & 1) == 1) {
                    half++;
                }
                return (short) (sign | half);
            }
            int half = (exponent << 10) | (mantissa >> 13);
            int rest = mantissa & 0x1fff;
            if (rest > 0x1000 || rest == 0x1000 && (half & 1) == 1) {
                half++;
            }
            return (short) (sign | half);
        }

        static float toFloat(short half) {
            int h = half & 0xffff;
            int sign = (h & 0x8000) << 16;
            int exponent = (h >>> 10) & 0x1f;
            int mantissa = h & 0x3ff;
            if (exponent == 0) {
                if (mantissa == 0) {
                    return Float.intBitsToFloat(sign);
                }
                float value = mantissa / 1024f * (float) Math.pow(2, -14);
                return sign != 0 ? -value : value;
            }
            if (exponent == 0x1f) {
                return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
            }
            return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
        }
    }
}
