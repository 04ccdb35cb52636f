package io.modelyard.training.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The API role must start without PyTorch: only {@code io.modelyard.ml} may name DJL. */
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
    void implementationsAreRegisteredForServiceLoader() throws IOException {
        assertEquals("io.modelyard.ml.train.DjlModelTrainer", service(ModelTrainer.class));
        assertEquals("io.modelyard.ml.serve.DjlModelRuntime",
                service(io.modelyard.serving.engine.ModelRuntime.class));
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
