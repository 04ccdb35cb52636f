package io.modelyard.ml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns a batch laid out in a Java array into an engine array without leaving native memory behind. DJL copies a
 * Java array into a direct buffer of its own for every array it creates, and that buffer is freed only when the
 * garbage collector next runs: with the heap nearly idle during training, an MLP job left about 75 MB of them
 * behind (the worker's RSS grew by as much). Here each thread stages its batches in one direct buffer it keeps,
 * and the engine array gets memory of its own: a copy on the CPU (the staged view is closed at once), the transfer
 * itself on a GPU.
 */
public final class BatchArrays {

    /**
     * The largest array staged; a thread's buffer grows to the largest it has staged. Larger arrays go through DJL's
     * own path (a direct buffer of their own, left to the collector).
     */
    public static final int MAX_STAGED_BYTES = 16 << 20;
    private static final ThreadLocal<ByteBuffer> STAGING = new ThreadLocal<>();

    private BatchArrays() {
    }

    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        return of(manager, shape, DataType.FLOAT32, values.length, staged -> staged.asFloatBuffer().put(values),
                () -> manager.create(values, shape));
    }

    public static NDArray of(NDManager manager, int[] values, Shape shape) {
        return of(manager, shape, DataType.INT32, values.length, staged -> staged.asIntBuffer().put(values),
                () -> manager.create(values, shape));
    }

    public static NDArray of(NDManager manager, long[] values, Shape shape) {
        return of(manager, shape, DataType.INT64, values.length, staged -> staged.asLongBuffer().put(values),
                () -> manager.create(values, shape));
    }

    private static NDArray of(NDManager manager, Shape shape, DataType type, int elements, Consumer<ByteBuffer> fill,
            Supplier<NDArray> unstaged) {
        ByteBuffer staged = staging((long) elements * type.getNumOfBytes());
        if (staged == null) {
            return unstaged.get();
        }
        fill.accept(staged);
        return owned(manager, staged, shape, type);
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

    /** This thread's staging buffer, exactly {@code size} bytes long; null when a batch is too large to stage. */
    private static ByteBuffer staging(long size) {
        if (size == 0 || size > MAX_STAGED_BYTES) {
            return null;
        }
        int bytes = (int) size;
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
