package io.modelyard.ml;

import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingData;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@link BenchmarkSetup}'s generated data as the CSV a tenant would upload ({@code text,topic,split}, or
 * {@code f0,...,topic,split} for the tabular {@code mlp}), so that bench/train.sh trains the platform and the
 * PyTorch script on exactly the rows and splits the minimal loop trains on.
 * Arguments: those of {@link BenchmarkSetup}, plus {@code out=<path>}.
 */
public final class BenchDataExport {

    private BenchDataExport() {
    }

    public static void main(String[] args) throws Exception {
        BenchmarkSetup setup = new BenchmarkSetup(args);
        Path out = null;
        for (String arg : args) {
            if (arg.startsWith("out=")) {
                out = Path.of(arg.substring(4));
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("out=<path> is required");
        }
        TrainingData data = setup.data();
        try (BufferedWriter csv = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            if (data.task().isText()) {
                csv.write("text,");
            } else {
                for (FeatureColumn column : data.features()) {
                    csv.write(column.name());
                    csv.write(',');
                }
            }
            csv.write("topic,split\n");
            write(csv, data.train(), "train");
            write(csv, data.validation(), "validation");
            write(csv, data.test(), "test");
        }
        System.out.println("rows=" + (data.train().size() + data.validation().size() + data.test().size()));
    }

    private static void write(BufferedWriter csv, List<Example> examples, String split) throws Exception {
        for (Example example : examples) {
            csv.write(example.text() != null ? example.text().strip() : String.join(",", example.features()));
            csv.write(',');
            csv.write(example.label());
            csv.write(',');
            csv.write(split);
            csv.write('\n');
        }
    }
}
