package io.modelyard.ml;

import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingData;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@link BenchmarkSetup}'s generated data as the CSV a tenant would upload ({@code text,topic,split}), so
 * that bench/train.sh trains the platform on exactly the rows and splits the bare baseline trains on.
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
            csv.write("text,topic,split\n");
            write(csv, data.train(), "train");
            write(csv, data.validation(), "validation");
            write(csv, data.test(), "test");
        }
        System.out.println("rows=" + (data.train().size() + data.validation().size() + data.test().size()));
    }

    private static void write(BufferedWriter csv, List<Example> examples, String split) throws Exception {
        for (Example example : examples) {
            csv.write(example.text().strip());
            csv.write(',');
            csv.write(example.label());
            csv.write(',');
            csv.write(split);
            csv.write('\n');
        }
    }
}
