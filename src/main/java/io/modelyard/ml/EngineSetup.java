package io.modelyard.ml;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;

/**
 * The one place that prepares the PyTorch engine for this process.
 * <ul>
 * <li>Offline: {@code ai.djl.offline=true} unless set otherwise, so DJL never tries to download anything. The
 * native library comes from the {@code pytorch-native-cpu} (or {@code -cu124}) jar on the class path and is
 * extracted once to {@code ~/.djl.ai} or {@code $DJL_CACHE_DIR}; that directory must be writable (a volume in the
 * worker image).</li>
 * <li>Threads: {@code -Dai.djl.pytorch.num_threads=N} (intra-op, the one that matters on a CPU) and
 * {@code -Dai.djl.pytorch.num_interop_threads=M}, or the environment variables {@code DJL_PYTORCH_NUM_THREADS}
 * and {@code DJL_PYTORCH_NUM_INTEROP_THREADS}, which this class copies into those properties before the engine
 * starts. When neither these nor {@code OMP_NUM_THREADS} are set, intra-op threads default to the JVM's
 * {@code availableProcessors()}, which honours a container's CPU limit (PyTorch alone would start one thread per
 * core of the node, and oversubscribed OpenMP threads are many times slower). Both are read once, when the engine
 * starts.</li>
 * <li>Device: the engine's default, i.e. the first GPU when one is visible, else the CPU.</li>
 * </ul>
 */
public final class EngineSetup {

    public static final String ENGINE_NAME = "PyTorch";
    public static final String INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";
    public static final String INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private static final Map<String, String> ENV_TO_PROPERTY = Map.of(
            "DJL_PYTORCH_NUM_THREADS", INTRA_OP_THREADS,
            "DJL_PYTORCH_NUM_INTEROP_THREADS", INTER_OP_THREADS);

    private static volatile Engine engine;

    private EngineSetup() {
    }

    /** The started engine; the first call loads the native library (about a second). */
    public static Engine engine() {
        Engine started = engine;
        if (started == null) {
            synchronized (EngineSetup.class) {
                started = engine;
                if (started == null) {
                    configure();
                    started = Engine.getEngine(ENGINE_NAME);
                    engine = started;
                }
            }
        }
        return started;
    }

    /** Where models run: the first GPU when present, else the CPU. */
    public static Device device() {
        return engine().defaultDevice();
    }

    /** {@code gpu} or {@code cpu}, as reported to the platform. */
    public static String deviceKind(Device device) {
        return device.isGpu() ? "gpu" : "cpu";
    }

    /**
     * Turns autograd off for the calling thread. PyTorch's grad mode is per thread and on by default, so a
     * worker thread that evaluates would otherwise record graphs it never uses.
     */
    public static void noGradOnThisThread() {
        JniUtils.setGradMode(false);
    }

    private static void configure() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        ENV_TO_PROPERTY.forEach((env, property) -> {
            String value = System.getenv(env);
            if (value != null && !value.isBlank() && System.getProperty(property) == null) {
                System.setProperty(property, value.trim());
            }
        });
        if (System.getProperty(INTRA_OP_THREADS) == null && System.getenv("OMP_NUM_THREADS") == null) {
            System.setProperty(INTRA_OP_THREADS, Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
    }
}
