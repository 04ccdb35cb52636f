package io.modelyard.ml;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.LearningRateSchedule;
import io.modelyard.training.engine.OptimizerKind;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What {@link BareTrainingBaseline} and {@link EngineTrainingRun} share: the generated data, the model and its
 * settings, from {@code key=value} arguments (samples, epochs, batch, length, vocabulary, width, architecture).
 * Every text has exactly {@code length} words, so the bare loop's fixed padding and the engine's per-batch
 * padding produce the same arrays: the comparison measures the training path, not the padding.
 */
final class BenchmarkSetup {

    final int samples;
    final int epochs;
    final int batch;
    final int length;
    final int vocabulary;
    final int width;
    final Architecture architecture;
    final double learningRate = 5e-3;

    BenchmarkSetup(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        samples = Integer.parseInt(options.getOrDefault("samples", "20000"));
        epochs = Integer.parseInt(options.getOrDefault("epochs", "20"));
        batch = Integer.parseInt(options.getOrDefault("batch", "64"));
        length = Integer.parseInt(options.getOrDefault("length", "32"));
        vocabulary = Integer.parseInt(options.getOrDefault("vocabulary", "5000"));
        width = Integer.parseInt(options.getOrDefault("width", "64"));
        architecture = Architecture.fromWire(options.getOrDefault("architecture", "bag_of_embeddings"));
    }

    /** Validation is a tenth of the training size; the test split is small (the bare loop has none). */
    TrainingData data() {
        Random random = new Random(1234);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < vocabulary; i++) {
            words.add("w" + Integer.toString(i, 36));
        }
        return TrainingData.text("text", "topic", SyntheticData.TOPICS, examples(samples, random, words),
                examples(samples / 10, random, words), examples(200, random, words));
    }

    private List<Example> examples(int n, Random random, List<String> words) {
        List<Example> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int topic = random.nextInt(3);
            StringBuilder text = new StringBuilder();
            int key = random.nextInt(length);
            for (int w = 0; w < length; w++) {
                text.append(w == key ? SyntheticData.TOPIC_WORDS.get(topic).get(random.nextInt(2))
                        : words.get((int) Math.min(words.size() - 1, Math.abs(random.nextGaussian()) * words.size()
                                / 3)))
                        .append(' ');
            }
            examples.add(Example.text(text.toString(), SyntheticData.TOPICS.get(topic)));
        }
        return examples;
    }

    /** Adam at a constant rate, no early stopping, checkpoints at epoch ends only. */
    TrainingSpec spec() {
        return TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, architecture, SizePreset.SMALL,
                new HyperparameterOverrides(epochs, batch, learningRate, LearningRateSchedule.CONSTANT,
                        OptimizerKind.ADAM, null, 0.0, 0.1, 0, length, vocabulary, width, width, 1, 4, 42L, 0));
    }

    /** RSS and the JVM heap it contains (committed), in MiB: RSS minus heap is roughly native memory. */
    static String memory() {
        long heap = Runtime.getRuntime().totalMemory();
        long rss = ProcessMemory.residentBytes();
        return "rss:" + megabytes(rss) + "/heap:" + megabytes(heap);
    }

    /** CPU time of the calling thread: with one intra-op thread the engine's kernels run on it too. */
    static long threadCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /**
     * Prints the throughput: per wall-clock second, and per second of the training thread's CPU time, which a
     * busy shared machine disturbs far less (it is the figure to compare there, with threads=1).
     */
    static void printRates(long samples, long wallNanos, long cpuNanos) {
        System.out.printf(Locale.ROOT, "samples_per_s=%.1f%n", samples / (wallNanos / 1e9));
        System.out.printf(Locale.ROOT, "samples_per_thread_cpu_s=%.1f%n", samples / (cpuNanos / 1e9));
        System.out.printf(Locale.ROOT, "seconds=%.2f thread_cpu_seconds=%.2f%n", wallNanos / 1e9, cpuNanos / 1e9);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1024.0 / 1024.0);
    }

    String describe() {
        return String.format(Locale.ROOT, "architecture=%s samples=%d epochs=%d batch=%d length=%d vocabulary=%d "
                + "width=%d threads=%s", architecture.wireName(), samples, epochs, batch, length, vocabulary, width,
                System.getProperty(EngineSetup.INTRA_OP_THREADS));
    }
}
