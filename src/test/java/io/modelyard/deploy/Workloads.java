package io.modelyard.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelyard.deploy.ParsedManifests.Doc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The pods a set of manifests would run, whatever object owns their template. */
final class Workloads {

    static final String COMPONENT = "app.kubernetes.io/component";

    /** A pod template and its owner; long-running pods serve traffic, Job pods run to completion. */
    record Pod(Doc owner, PodTemplateSpec template, boolean longRunning) {

        Map<String, String> labels() {
            Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        }

        String component() {
            return labels().getOrDefault(COMPONENT, "");
        }

        List<Container> containers() {
            List<Container> all = new ArrayList<>(template.getSpec().getContainers());
            if (template.getSpec().getInitContainers() != null) {
                all.addAll(template.getSpec().getInitContainers());
            }
            return all;
        }

        /** The value of an env var as the container would see it, through envFrom ConfigMaps too. */
        Optional<String> env(Container container, String name, List<Doc> docs) {
            if (container.getEnv() != null) {
                for (EnvVar var : container.getEnv()) {
                    if (var.getName().equals(name) && var.getValue() != null) {
                        return Optional.of(var.getValue());
                    }
                }
            }
            if (container.getEnvFrom() != null) {
                for (EnvFromSource source : container.getEnvFrom()) {
                    if (source.getConfigMapRef() != null) {
                        ConfigMap map = configMap(docs, source.getConfigMapRef().getName());
                        if (map.getData() != null && map.getData().containsKey(name)) {
                            return Optional.of(map.getData().get(name));
                        }
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return owner.id() + " pod";
        }
    }

    private Workloads() {
    }

    static List<Pod> pods(List<Doc> docs) {
        List<Pod> pods = new ArrayList<>();
        for (Doc doc : docs) {
            if (doc.is("Deployment")) {
                pods.add(new Pod(doc, doc.as(Deployment.class).getSpec().getTemplate(), true));
            } else if (doc.is("Job")) {
                pods.add(new Pod(doc, doc.as(Job.class).getSpec().getTemplate(), false));
            } else if (doc.isKnativeService()) {
                pods.add(new Pod(doc, knativeTemplate(doc), true));
            }
        }
        return pods;
    }

    static List<Pod> pods(List<Doc> docs, String component) {
        return pods(docs).stream().filter(p -> p.component().equals(component)).toList();
    }

    /** A Knative Service's revision template is a pod template with a few extra fields. */
    @SuppressWarnings("unchecked")
    static PodTemplateSpec knativeTemplate(Doc doc) {
        Map<String, Object> spec = (Map<String, Object>) doc.generic().getAdditionalProperties().get("spec");
        assertNotNull(spec, () -> doc + ": no spec");
        Object template = spec.get("template");
        assertNotNull(template, () -> doc + ": no spec.template");
        return Serialization.jsonMapper().convertValue(template, PodTemplateSpec.class);
    }

    static ConfigMap configMap(List<Doc> docs, String name) {
        return docs.stream()
                .filter(d -> d.is("ConfigMap") && d.name().equals(name))
                .map(d -> d.as(ConfigMap.class))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name + " among the manifests"));
    }

    static Optional<Doc> find(List<Doc> docs, String kind, String name) {
        return docs.stream().filter(d -> d.is(kind) && d.name().equals(name)).findFirst();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(Doc custom) {
        Object spec = custom.generic().getAdditionalProperties().get("spec");
        assertNotNull(spec, () -> custom + ": no spec");
        return (Map<String, Object>) spec;
    }
}
