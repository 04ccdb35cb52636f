package io.modelyard.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns a batch laid out in a Java array into an engine array without leaving native memory behind. DJL copies a
 * Java array into a direct buffer of its own for every array it creates, and that buffer is freed only when the
 * garbage collector next runs: with the heap nearly idle during training, an MLP job left about 75 MB of them
 * behind (the worker's RSS grew by as much). Here each thread stages its batches in one direct buffer it keeps,
 * and the engine array gets memory of its own: a copy on the CPU (the staged view is closed at once), the transfer
 * itself on a GPU.
 */
public final class BatchArrays {

    // larger arrays (a whole split laid out at once) go through DJL's own path rather than grow a thread's buffer
    private static final int MAX_STAGED_BYTES = 16 << 20;
    private static final ThreadLocal<ByteBuffer> STAGING = new ThreadLocal<>();

    private BatchArrays() {
    }

    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        ByteBuffer staged = staging(values.length * Float.BYTES);
        if (staged == null) {
            return manager.create(values, shape);
        }
        staged.asFloatBuffer().put(values);
        return owned(manager, staged, shape, DataType.FLOAT32);
    }

    public static NDArray of(NDManager manager, int[] values, Shape shape) {
        ByteBuffer staged = staging(values.length * Integer.BYTES);
        if (staged == null) {
            return manager.create(values, shape);
        }
        staged.asIntBuffer().put(values);
        return owned(manager, staged, shape, DataType.INT32);
    }

    public static NDArray of(NDManager manager, long[] values, Shape shape) {
        ByteBuffer staged = staging(values.length * Long.BYTES);
        if (staged == null) {
            return manager.create(values, shape);
        }
        staged.asLongBuffer().put(values);
        return owned(manager, staged, shape, DataType.INT64);
    }

    private static NDArray owned(NDManager manager, ByteBuffer staged, Shape shape, DataType type) {
        NDArray array = manager.create(staged, shape, type);
        if (!manager.getDevice().isGpu()) {
            // on the CPU the engine array reads the staging buffer itself: copy it before the buffer is reused
            try (NDArray view = array) {
                return view.duplicate();
            }
        }
        return array;
    }

    /** This thread's staging buffer, exactly {@code bytes} long; null when a batch is too large to stage. */
    private static ByteBuffer staging(int bytes) {
        if (bytes == 0 || bytes > MAX_STAGED_BYTES) {
            return null;
        }
        ByteBuffer buffer = STAGING.get();
        if (buffer == null || buffer.capacity() < bytes) {
            int capacity = Math.max(64 << 10, Integer.highestOneBit(bytes - 1) << 1);
            buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
            STAGING.set(buffer);
        }
        ByteBuffer window = buffer.duplicate();
        window.clear().limit(bytes);
        return window.slice().order(ByteOrder.nativeOrder());
    }
}
