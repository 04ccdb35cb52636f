package io.modelyard.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Splits a YAML stream on its document markers and parses every document into the fabric8
 * Kubernetes model: a typed class for built-in kinds, {@link GenericKubernetesResource} for the
 * custom resources we use (KEDA, Prometheus Operator, Knative). Any document that does not parse,
 * lacks apiVersion/kind/name, or carries a field its model class does not know (a typo such as
 * {@code readinesProbe}, or a value of the wrong type) fails the test.
 */
final class ParsedManifests {

    /** Custom resources: no model class on the test classpath, parsed as generic resources. */
    static final Set<String> CUSTOM_KINDS = Set.of(
            "keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication",
            "monitoring.coreos.com/v1/ServiceMonitor",
            "serving.knative.dev/v1/Service");

    private static final Pattern DOC_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");

    /** One parsed document and where it came from. */
    record Doc(String origin, HasMetadata resource) {

        String kind() {
            return resource.getKind();
        }

        String name() {
            return resource.getMetadata().getName();
        }

        String apiVersion() {
            return resource.getApiVersion();
        }

        /** Kind and name, the identity two renders are compared on. */
        String id() {
            return apiVersion() + " " + kind() + "/" + name();
        }

        boolean is(String kind) {
            return kind().equals(kind) && !(isKnativeService() && kind.equals("Service"));
        }

        boolean isKnativeService() {
            return apiVersion().startsWith("serving.knative.dev/") && kind().equals("Service");
        }

        @SuppressWarnings("unchecked")
        <T> T as(Class<T> type) {
            assertTrue(type.isInstance(resource), () -> origin + ": " + id() + " is not a " + type.getSimpleName());
            return (T) resource;
        }

        GenericKubernetesResource generic() {
            return as(GenericKubernetesResource.class);
        }

        @Override
        public String toString() {
            return id() + " (" + origin + ")";
        }
    }

    private ParsedManifests() {
    }

    static List<Doc> parse(String yamlStream, String origin) {
        List<Doc> docs = new ArrayList<>();
        String[] parts = DOC_SEPARATOR.split(yamlStream);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (isBlank(part)) {
                continue;
            }
            String where = origin + " [document " + i + "]";
            docs.add(new Doc(where, parseOne(part, where)));
        }
        assertFalse(docs.isEmpty(), () -> origin + ": no Kubernetes document");
        return docs;
    }

    static List<Doc> parseFiles(Path dir) {
        List<Doc> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(ParsedManifests::isYaml).sorted().toList()) {
                docs.addAll(parse(Files.readString(file), file.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    /** Comments and blank lines only: what helm leaves for a template whose condition is false. */
    private static boolean isBlank(String doc) {
        return doc.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"));
    }

    private static HasMetadata parseOne(String yaml, String where) {
        KubernetesResource parsed;
        try {
            parsed = Serialization.unmarshal(yaml, KubernetesResource.class);
        } catch (RuntimeException e) {
            throw new AssertionError(where + " does not parse:\n" + yaml, e);
        }
        assertNotNull(parsed, () -> where + " parsed to nothing:\n" + yaml);
        if (!(parsed instanceof HasMetadata resource)) {
            throw new AssertionError(where + " is not a Kubernetes object: " + parsed.getClass());
        }
        assertNotNull(resource.getApiVersion(), () -> where + ": no apiVersion");
        assertNotNull(resource.getKind(), () -> where + ": no kind");
        assertNotNull(resource.getMetadata(), () -> where + ": no metadata");
        assertNotNull(resource.getMetadata().getName(), () -> where + ": no metadata.name");
        String type = resource.getApiVersion() + "/" + resource.getKind();
        if (resource instanceof GenericKubernetesResource) {
            assertTrue(CUSTOM_KINDS.contains(type),
                    () -> where + ": " + type + " has no model class: a misspelt apiVersion or kind?");
        } else {
            assertFalse(CUSTOM_KINDS.contains(type), () -> where + ": unexpected model class for " + type);
            List<String> unknown = new ArrayList<>();
            collectUnknownFields(resource, resource.getKind(), unknown);
            assertEquals(List.of(), unknown, () -> where + ": fields the Kubernetes model does not know");
        }
        return resource;
    }

    /**
     * fabric8 keeps fields it does not recognise (or whose value has the wrong type) in
     * additionalProperties instead of failing; walking the object graph finds them.
     */
    private static void collectUnknownFields(Object node, String path, List<String> unknown) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
                || node instanceof Enum<?> || node instanceof Quantity || node instanceof IntOrString) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(value, path + "." + key, unknown));
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object value = invoke(getter, node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            collectUnknownFields(value, path + "." + decapitalize(getter.getName().substring(3)), unknown);
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            fail("cannot read " + getter, e);
            return null;
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
