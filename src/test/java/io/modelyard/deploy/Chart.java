package io.modelyard.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders helm/modelyard in process with helm-java (no cluster, no helm binary on the PATH), for
 * the release and namespace the plain manifests in k8s/ are written for.
 *
 * <p>helm-java's template returns the release manifest without its hooks, and the migration Job
 * is a hook. So renders come from a copy of the chart whose templates carry the hook annotations
 * under another key ({@link #HOOK_ANNOTATION}): the Job then renders like any object, and its
 * hook settings can still be asserted. {@code helm lint} and the NOTES check use the real chart.
 */
final class Chart {

    static final Path DIR = Path.of("helm", "modelyard");
    static final String RELEASE = "modelyard";
    static final String NAMESPACE = "modelyard";
    static final String HOOK_ANNOTATION = "test.modelyard.io/helm-hook";

    private static Path renderable;

    private Chart() {
    }

    static String template(Map<String, ?> sets) {
        return template(sets, null);
    }

    /** Renders with --set pairs and, when given, a values file (for lists and maps). */
    static String template(Map<String, ?> sets, String valuesYaml) {
        TemplateCommand command = new Helm(renderableCopy()).template().withName(RELEASE).withNamespace(NAMESPACE);
        sets.forEach(command::set);
        if (valuesYaml != null) {
            command.withValuesFile(writeTemp("modelyard-values-", valuesYaml));
        }
        return command.call();
    }

    static List<ParsedManifests.Doc> render(Map<String, ?> sets) {
        return ParsedManifests.parse(template(sets), "helm template " + sets);
    }

    static List<ParsedManifests.Doc> render(Map<String, ?> sets, String valuesYaml) {
        return ParsedManifests.parse(template(sets, valuesYaml), "helm template " + sets + " with " + valuesYaml.strip());
    }

    private static synchronized Path renderableCopy() {
        if (renderable != null) {
            return renderable;
        }
        try {
            Path copy = Files.createTempDirectory("modelyard-chart-").resolve("modelyard");
            try (Stream<Path> files = Files.walk(DIR)) {
                for (Path source : files.toList()) {
                    Path target = copy.resolve(DIR.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        String text = Files.readString(source);
                        if (source.getParent().endsWith("templates")) {
                            text = text.replace("helm.sh/hook", HOOK_ANNOTATION);
                        }
                        Files.writeString(target, text);
                    }
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(copy.getParent())));
            renderable = copy;
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover temp directory is harmless.
        }
    }

    private static Path writeTemp(String prefix, String content) {
        try {
            Path file = Files.createTempFile(prefix, ".yaml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
