package io.modelyard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelyard.deploy.ParsedManifests.Doc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain manifests in k8s/ hold the same invariants as the chart and render the same objects. */
class PlainManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Set<String> REPLACED_BY_KNATIVE = Set.of(
            "apps/v1 Deployment/modelyard-api",
            "v1 Service/modelyard-api",
            "autoscaling/v2 HorizontalPodAutoscaler/modelyard-api",
            "policy/v1 PodDisruptionBudget/modelyard-api",
            "networking.k8s.io/v1 Ingress/modelyard",
            "networking.k8s.io/v1 Ingress/modelyard-uploads");

    private static List<Doc> base;
    private static List<Doc> knative;

    @BeforeAll
    static void parse() {
        List<Doc> all = ParsedManifests.parseFiles(K8S);
        base = all.stream().filter(d -> !d.origin().startsWith(K8S.resolve("optional").toString())).toList();
        knative = ParsedManifests.parseFiles(K8S.resolve("optional"));
    }

    @Test
    void plainManifestsKeepTheInvariants() {
        Invariants.assertHold(withoutNamespace(base), Expect.defaults().withoutHooks());
    }

    @Test
    void everyObjectLivesInTheModelyardNamespace() {
        List<Doc> namespaces = base.stream().filter(d -> d.is("Namespace")).toList();
        assertEquals(1, namespaces.size(), "k8s/ creates its namespace");
        assertEquals(Chart.NAMESPACE, namespaces.get(0).name());
        assertEquals("restricted", namespaces.get(0).resource().getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"),
                "the namespace enforces the restricted Pod Security Standard its pods meet");
        for (Doc doc : concat(base, knative)) {
            if (!doc.is("Namespace")) {
                assertEquals(Chart.NAMESPACE, doc.resource().getMetadata().getNamespace(), () -> doc + ": namespace");
            }
        }
    }

    @Test
    void plainManifestsAreTheChartsDefaultRender() {
        assertSameObjects(Chart.render(Map.of()), withoutNamespace(base));
    }

    @Test
    void knativeVariantIsTheChartsKnativeRender() {
        Map<String, Doc> composed = new LinkedHashMap<>();
        for (Doc doc : withoutNamespace(base)) {
            if (!REPLACED_BY_KNATIVE.contains(doc.id())) {
                composed.put(doc.id(), doc);
            }
        }
        knative.forEach(doc -> composed.put(doc.id(), doc));
        List<Doc> variant = new ArrayList<>(composed.values());
        assertTrue(variant.stream().anyMatch(Doc::isKnativeService), "optional/ holds the Knative Service");
        Invariants.assertHold(variant, Expect.defaults().withoutHooks());
        assertSameObjects(Chart.render(Map.of("knative.enabled", true)), variant);
    }

    /**
     * Same kinds and names, and the same content but for what only Helm adds (its labels, hook and
     * checksum annotations) and the namespace plain manifests spell out. A change to the chart
     * that is not made in k8s/ too (or the reverse) fails here, naming the object.
     */
    private static void assertSameObjects(List<Doc> chart, List<Doc> plain) {
        assertEquals(ids(chart), ids(plain), "k8s/ and the chart's render hold different objects");
        Map<String, Doc> plainById = plain.stream().collect(Collectors.toMap(Doc::id, d -> d));
        assertAll(chart.stream().map(rendered -> () -> {
            Doc written = plainById.get(rendered.id());
            List<String> differences = new ArrayList<>();
            diff("", comparable(rendered), comparable(written), differences);
            assertEquals(List.of(), differences,
                    () -> rendered.id() + " differs between the chart (first) and " + written.origin() + " (second)");
        }));
    }

    private static void diff(String path, JsonNode chart, JsonNode plain, List<String> differences) {
        if (chart.isObject() && plain.isObject()) {
            Set<String> keys = new TreeSet<>();
            chart.fieldNames().forEachRemaining(keys::add);
            plain.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                diff(path + "." + key, chart.path(key), plain.path(key), differences);
            }
        } else if (chart.isArray() && plain.isArray() && chart.size() == plain.size()) {
            for (int i = 0; i < chart.size(); i++) {
                diff(path + "[" + i + "]", chart.get(i), plain.get(i), differences);
            }
        } else if (!chart.equals(plain)) {
            differences.add(path + ": " + chart + " vs " + plain);
        }
    }

    private static Set<String> ids(List<Doc> docs) {
        return docs.stream().map(Doc::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode comparable(Doc doc) {
        JsonNode node = Serialization.jsonMapper().valueToTree(doc.resource());
        ObjectNode object = (ObjectNode) node;
        object.remove("metadata");
        // The config checksum only exists to restart pods on a Helm upgrade.
        if (object.path("spec").path("template").path("metadata").path("annotations") instanceof ObjectNode annotations) {
            annotations.remove("checksum/config");
            if (annotations.isEmpty()) {
                ((ObjectNode) object.path("spec").path("template").path("metadata")).remove("annotations");
            }
        }
        return node;
    }

    private static List<Doc> withoutNamespace(List<Doc> docs) {
        return docs.stream().filter(d -> !d.is("Namespace")).toList();
    }

    private static List<Doc> concat(List<Doc> a, List<Doc> b) {
        List<Doc> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
