package io.modelyard.ml;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.FeatureColumn;
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
 * What {@link MinimalTrainingLoop}, {@link EngineTrainingRun}, {@link BenchDataExport} and bench/ml/train_pytorch.py
 * share: the generated data, the model and its settings, from {@code key=value} arguments (samples, epochs, batch,
 * length, vocabulary, width, architecture, features, dropout, seed). Every text has exactly {@code length} words,
 * so fixed padding and the engine's per-batch padding produce the same arrays: the comparison measures the
 * training path, not the padding. {@code lstm_classic} is binary, so its data has two topics; {@code mlp} trains
 * on {@code features} numeric columns whose class is the largest of three fixed linear scores.
 */
final class BenchmarkSetup {

    final int samples;
    final int epochs;
    final int batch;
    final int length;
    final int vocabulary;
    final int width;
    final Architecture architecture;
    final int features;
    final double dropout;
    final long seed;
    final double learningRate;

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
        features = Integer.parseInt(options.getOrDefault("features", "32"));
        dropout = Double.parseDouble(options.getOrDefault("dropout", "0.1"));
        seed = Long.parseLong(options.getOrDefault("seed", "42"));
        learningRate = Double.parseDouble(options.getOrDefault("learning_rate", "5e-3"));
    }

    TaskType task() {
        return architecture.isText() ? TaskType.TEXT_CLASSIFICATION : TaskType.TABULAR_CLASSIFICATION;
    }

    /** Validation is a tenth of the training size (at least one row); the test split is small. */
    TrainingData data() {
        Random random = new Random(1234);
        int validation = Math.max(1, samples / 10);
        if (!architecture.isText()) {
            return tabular(random, validation);
        }
        List<String> words = new ArrayList<>();
        for (int i = 0; i < vocabulary; i++) {
            words.add("w" + Integer.toString(i, 36));
        }
        int topics = architecture == Architecture.LSTM_CLASSIC ? 2 : 3;
        return TrainingData.text("text", "topic", SyntheticData.TOPICS.subList(0, topics),
                examples(samples, random, words, topics), examples(validation, random, words, topics),
                examples(200, random, words, topics));
    }

    private TrainingData tabular(Random random, int validation) {
        List<FeatureColumn> columns = new ArrayList<>(features);
        for (int f = 0; f < features; f++) {
            columns.add(FeatureColumn.numeric("f" + f));
        }
        double[][] weights = new double[SyntheticData.TOPICS.size()][features];
        for (double[] row : weights) {
            for (int f = 0; f < features; f++) {
                row[f] = random.nextGaussian();
            }
        }
        return TrainingData.tabular(TaskType.TABULAR_CLASSIFICATION, columns, "topic", SyntheticData.TOPICS,
                rows(samples, random, weights), rows(validation, random, weights), rows(200, random, weights));
    }

    private List<Example> rows(int n, Random random, double[][] weights) {
        List<Example> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<String> cells = new ArrayList<>(features);
            double[] x = new double[features];
            for (int f = 0; f < features; f++) {
                x[f] = Math.round(random.nextGaussian() * 1000) / 1000.0;
                cells.add(Double.toString(x[f]));
            }
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < weights.length; c++) {
                double score = 0;
                for (int f = 0; f < features; f++) {
                    score += weights[c][f] * x[f];
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            rows.add(Example.tabular(cells, SyntheticData.TOPICS.get(best)));
        }
        return rows;
    }

    private List<Example> examples(int n, Random random, List<String> words, int topics) {
        List<Example> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int topic = random.nextInt(topics);
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

    /** Adam at a constant rate, no early stopping, checkpoints at epoch ends only; one layer, four heads. */
    TrainingSpec spec() {
        return TrainingSpec.resolve(task(), architecture, SizePreset.SMALL,
                new HyperparameterOverrides(epochs, batch, learningRate, LearningRateSchedule.CONSTANT,
                        OptimizerKind.ADAM, null, 0.0, dropout, 0, length, vocabulary, width, width, 1, 4, seed, 0));
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
