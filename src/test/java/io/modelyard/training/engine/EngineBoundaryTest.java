package io.modelyard.training.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API role must start without PyTorch: only {@code io.modelyard.ml} may name DJL. The engine speaks the shared
 * model vocabulary ({@code model.spec}) and its own errors, never HTTP's.
 */
class EngineBoundaryTest {

    @Test
    void onlyTheMlPackageMentionsDjl() throws IOException {
        Path sources = Path.of("src/main/java/io/modelyard");
        try (Stream<Path> files = Files.walk(sources)) {
            List<String> offenders = files
                    .filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !sources.relativize(f).startsWith("ml"))
                    .filter(f -> read(f).contains("ai.djl"))
                    .map(Path::toString)
                    .collect(Collectors.toList());
            assertEquals(List.of(), offenders);
        }
    }

    @Test
    void servingReadsTheSharedVocabularyNotTraining() throws IOException {
        assertEquals(List.of(), mentioning("serving", "import io.modelyard.training."));
    }

    @Test
    void theEngineAndItsContractsKnowNoHttpErrors() throws IOException {
        for (String dir : List.of("ml", "training/engine", "serving/engine", "model/spec")) {
            assertEquals(List.of(), mentioning(dir, "import io.modelyard.common."), dir);
        }
    }

    @Test
    void implementationsAreRegisteredForServiceLoader() throws IOException {
        assertEquals("io.modelyard.ml.train.DjlModelTrainer", service(ModelTrainer.class));
        assertEquals("io.modelyard.ml.serve.DjlModelRuntime",
                service(io.modelyard.serving.engine.ModelRuntime.class));
    }

    private static List<String> mentioning(String dir, String text) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/modelyard", dir))) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> read(f).contains(text))
                    .map(Path::toString).collect(Collectors.toList());
        }
    }

    private static String service(Class<?> type) throws IOException {
        return Files.readString(Path.of("src/main/resources/META-INF/services", type.getName())).trim();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
