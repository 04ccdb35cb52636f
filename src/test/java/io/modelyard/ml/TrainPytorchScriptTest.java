package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The training benchmark's PyTorch peer, bench/ml/train_pytorch.py, trains every network it defines on
 * {@link BenchDataExport}'s CSV: two steps on one batch lower the loss. Needs a python3 with torch (dev/test
 * installs Debian's python3-torch); skipped only where there is none.
 */
class TrainPytorchScriptTest {

    private static final Path SCRIPT = Path.of("bench/ml/train_pytorch.py");
    private static String python;

    @TempDir
    static Path csvs;

    @BeforeAll
    static void findPython() throws Exception {
        // a python3 first on the PATH (pyenv, a venv) may lack torch while Debian's /usr/bin/python3 has it
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            if (run(List.of(candidate, "-c", "import torch")).exit == 0) {
                python = candidate;
                return;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bag_of_embeddings", "text_cnn", "bilstm", "lstm_classic", "transformer", "mlp"})
    void twoStepsLowerTheLoss(String architecture) throws Exception {
        assumeTrue(python != null, "no python3 with torch (apt-get install python3-torch)");
        String[] sizes = {"architecture=" + architecture, "samples=32", "length=12", "vocabulary=100",
            "features=8"};
        Path csv = csvs.resolve(architecture + ".csv");
        String[] export = java.util.Arrays.copyOf(sizes, sizes.length + 1);
        export[sizes.length] = "out=" + csv;
        BenchDataExport.main(export);
        Result result = run(List.of(python, SCRIPT.toString(), "--csv", csv.toString(), "--architecture",
                architecture, "--batch", "32", "--length", "12", "--vocabulary", "100", "--width", "16",
                "--dropout", "0", "--learning-rate", "0.005", "--check-loss-falls"));
        assertEquals(0, result.exit, result.output);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
