package io.modelyard.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.modelyard.deploy.ParsedManifests.Doc;
import io.modelyard.deploy.Workloads.Pod;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Objects that point at each other point at something real: selectors, targets, ports, queries. */
final class WiringInvariants {

    private WiringInvariants() {
    }

    static void labelled(List<Doc> docs, Expect expect) {
        for (Doc doc : docs) {
            Map<String, String> labels = doc.resource().getMetadata().getLabels();
            assertNotNull(labels, () -> doc + ": no labels");
            assertEquals("modelyard", labels.get("app.kubernetes.io/name"), () -> doc + ": app.kubernetes.io/name");
            assertEquals(expect.instance(), labels.get("app.kubernetes.io/instance"), () -> doc + ": app.kubernetes.io/instance");
        }
    }

    /** Every Service selects pods that exist, on a port those pods declare. */
    static void servicesReachPods(List<Doc> docs) {
        for (Doc doc : docs) {
            if (!doc.is("Service")) {
                continue;
            }
            Service service = doc.as(Service.class);
            Map<String, String> selector = service.getSpec().getSelector();
            assertTrue(selector != null && !selector.isEmpty(), () -> doc + ": no selector");
            List<Pod> selected = Workloads.pods(docs).stream()
                    .filter(p -> p.longRunning() && Selectors.matches(selector, p.labels())).toList();
            assertEquals(1, selected.size(), () -> doc + ": must select the pods of exactly one workload, got " + selected);
            for (ServicePort port : service.getSpec().getPorts()) {
                assertTrue(declares(selected.get(0), port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort())),
                        () -> doc + ": targetPort " + port.getTargetPort() + " not declared by " + selected.get(0));
            }
        }
    }

    private static boolean declares(Pod pod, IntOrString port) {
        for (Container container : pod.template().getSpec().getContainers()) {
            for (ContainerPort declared : container.getPorts()) {
                if (port.getStrVal() != null ? port.getStrVal().equals(declared.getName())
                        : port.getIntVal().equals(declared.getContainerPort())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The API finds the workers at a Service that selects worker pods. */
    static void apiReachesWorkers(List<Doc> docs) {
        for (Pod api : Workloads.pods(docs, "api")) {
            Container container = api.template().getSpec().getContainers().get(0);
            String url = api.env(container, "MODELYARD_SERVING_WORKER_URL", docs)
                    .orElseThrow(() -> new AssertionError(api + ": no MODELYARD_SERVING_WORKER_URL"));
            URI uri = URI.create(url);
            Doc serviceDoc = Workloads.find(docs, "Service", uri.getHost())
                    .orElseThrow(() -> new AssertionError(api + ": worker URL " + url + " names no Service"));
            Service service = serviceDoc.as(Service.class);
            assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == uri.getPort()),
                    () -> serviceDoc + ": no port " + uri.getPort());
            assertTrue(Workloads.pods(docs, "worker").stream()
                            .allMatch(w -> Selectors.matches(service.getSpec().getSelector(), w.labels())),
                    () -> serviceDoc + ": does not select the workers");
        }
    }

    static void scalersAndBudgetsTargetWorkloads(List<Doc> docs) {
        for (Doc doc : docs) {
            if (doc.is("HorizontalPodAutoscaler")) {
                HorizontalPodAutoscaler hpa = doc.as(HorizontalPodAutoscaler.class);
                var target = hpa.getSpec().getScaleTargetRef();
                Doc deployment = Workloads.find(docs, target.getKind(), target.getName())
                        .orElseThrow(() -> new AssertionError(doc + ": scales a missing " + target.getKind() + " " + target.getName()));
                assertNull(deployment.as(Deployment.class).getSpec().getReplicas(),
                        () -> deployment + ": sets replicas that its HPA would fight");
                assertTrue(hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas(), () -> doc + ": min > max");
            }
            if (doc.is("PodDisruptionBudget")) {
                PodDisruptionBudget pdb = doc.as(PodDisruptionBudget.class);
                List<Pod> selected = Workloads.pods(docs).stream()
                        .filter(p -> Selectors.matches(pdb.getSpec().getSelector(), p.labels())).toList();
                assertEquals(1, selected.size(), () -> doc + ": must cover exactly one workload, got " + selected);
                IntOrString minAvailable = pdb.getSpec().getMinAvailable();
                if (minAvailable != null && minAvailable.getIntVal() != null) {
                    int floor = minimumReplicas(docs, selected.get(0).owner());
                    assertTrue(minAvailable.getIntVal() < floor,
                            () -> doc + ": minAvailable " + minAvailable.getIntVal() + " >= " + floor
                                    + " replicas: a node drain could never evict these pods");
                }
            }
        }
    }

    private static int minimumReplicas(List<Doc> docs, Doc workload) {
        return docs.stream()
                .filter(d -> d.is("HorizontalPodAutoscaler"))
                .map(d -> d.as(HorizontalPodAutoscaler.class))
                .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(workload.name()))
                .map(h -> h.getSpec().getMinReplicas())
                .findFirst()
                .orElseGet(() -> workload.as(Deployment.class).getSpec().getReplicas());
    }

    /** The Ingress routes only to the API, on a port its Service has, and TLS covers its hosts. */
    static void ingressRoutesToApi(List<Doc> docs) {
        for (Doc doc : docs) {
            if (!doc.is("Ingress")) {
                continue;
            }
            Ingress ingress = doc.as(Ingress.class);
            Set<String> tlsHosts = ingress.getSpec().getTls() == null ? Set.of() : ingress.getSpec().getTls().stream()
                    .peek(tls -> assertNotNull(tls.getSecretName(), () -> doc + ": TLS without a certificate Secret"))
                    .map(IngressTLS::getHosts).flatMap(List::stream).collect(Collectors.toSet());
            for (IngressRule rule : ingress.getSpec().getRules()) {
                assertNotNull(rule.getHost(), () -> doc + ": a rule for every host");
                if (!tlsHosts.isEmpty()) {
                    assertTrue(tlsHosts.contains(rule.getHost()), () -> doc + ": " + rule.getHost() + " not covered by TLS");
                }
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    IngressServiceBackend backend = path.getBackend().getService();
                    Service service = Workloads.find(docs, "Service", backend.getName())
                            .orElseThrow(() -> new AssertionError(doc + ": routes to missing Service " + backend.getName()))
                            .as(Service.class);
                    assertTrue(Workloads.pods(docs).stream()
                                    .filter(p -> Selectors.matches(service.getSpec().getSelector(), p.labels()))
                                    .allMatch(p -> p.component().equals("api")),
                            () -> doc + ": routes to " + backend.getName() + ", which is not the API");
                    assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> backend.getPort().getName() != null
                                    ? backend.getPort().getName().equals(p.getName())
                                    : backend.getPort().getNumber().equals(p.getPort())),
                            () -> doc + ": routes to a port Service " + backend.getName() + " lacks");
                }
            }
        }
    }

    /** Prometheus scrapes /q/metrics on Services that exist and have the named port. */
    @SuppressWarnings("unchecked")
    static void serviceMonitorScrapesServices(List<Doc> docs) {
        for (Doc doc : docs) {
            if (!doc.kind().equals("ServiceMonitor")) {
                continue;
            }
            Map<String, Object> spec = Workloads.spec(doc);
            Map<String, String> matchLabels = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
            List<Service> services = docs.stream().filter(d -> d.is("Service")).map(d -> d.as(Service.class))
                    .filter(s -> Selectors.matches(matchLabels, s.getMetadata().getLabels())).toList();
            assertFalse(services.isEmpty(), () -> doc + ": selects no Service");
            for (Map<String, Object> endpoint : (List<Map<String, Object>>) spec.get("endpoints")) {
                assertEquals("/q/metrics", endpoint.get("path"), () -> doc + ": metrics path");
                for (Service service : services) {
                    assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> endpoint.get("port").equals(p.getName())),
                            () -> doc + ": Service " + service.getMetadata().getName() + " has no port " + endpoint.get("port"));
                }
            }
        }
    }

    /** KEDA scales the worker Deployment on the queued-jobs count, with the password from a Secret. */
    @SuppressWarnings("unchecked")
    static void kedaScalesWorkersOnQueuedJobs(List<Doc> docs, Expect expect) {
        List<Doc> scaledObjects = docs.stream().filter(d -> d.kind().equals("ScaledObject")).toList();
        Deployment workers = PodInvariants.deployment(docs, "worker");
        if (scaledObjects.isEmpty()) {
            assertNotNull(workers.getSpec().getReplicas(), "without KEDA the workers need a replica count");
            return;
        }
        assertEquals(1, scaledObjects.size(), "one ScaledObject");
        Doc doc = scaledObjects.get(0);
        Map<String, Object> spec = Workloads.spec(doc);
        Map<String, Object> target = (Map<String, Object>) spec.get("scaleTargetRef");
        assertEquals(workers.getMetadata().getName(), target.get("name"), () -> doc + ": does not scale the workers");
        assertTrue(target.get("kind") == null || "Deployment".equals(target.get("kind")), () -> doc + ": target kind");
        assertNull(workers.getSpec().getReplicas(), "KEDA owns the worker replica count; the Deployment must not set it");
        assertEquals(expect.kedaMinReplicas(), ((Number) spec.get("minReplicaCount")).intValue(), () -> doc + ": minReplicaCount");
        assertTrue(((Number) spec.get("maxReplicaCount")).intValue() >= Math.max(1, expect.kedaMinReplicas()),
                () -> doc + ": maxReplicaCount");
        List<Map<String, Object>> triggers = (List<Map<String, Object>>) spec.get("triggers");
        assertEquals(1, triggers.size(), () -> doc + ": one trigger");
        Map<String, Object> trigger = triggers.get(0);
        assertEquals("postgresql", trigger.get("type"), () -> doc + ": trigger type");
        Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
        String query = ((String) metadata.get("query")).strip().replaceAll("\\s+", " ");
        assertEquals(Expect.QUEUED_JOBS_QUERY, query, () -> doc + ": KEDA must count queued jobs only");
        assertTrue(Double.parseDouble((String) metadata.get("targetQueryValue")) >= 1, () -> doc + ": targetQueryValue");
        for (String literal : List.of("password", "connection", "connectionFromEnv", "passwordFromEnv")) {
            assertFalse(metadata.containsKey(literal), () -> doc + ": " + literal + " in trigger metadata");
        }
        assertNotNull(metadata.get("userName"), () -> doc + ": no database user");
        Map<String, Object> authRef = (Map<String, Object>) trigger.get("authenticationRef");
        assertNotNull(authRef, () -> doc + ": no authenticationRef");
        Doc auth = docs.stream().filter(d -> d.kind().equals("TriggerAuthentication") && d.name().equals(authRef.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError(doc + ": TriggerAuthentication " + authRef.get("name") + " missing"));
        Map<String, Object> authSpec = Workloads.spec(auth);
        assertEquals(Set.of("secretTargetRef"), authSpec.keySet(), () -> auth + ": credentials only from a Secret");
        List<Map<String, Object>> refs = (List<Map<String, Object>>) authSpec.get("secretTargetRef");
        assertTrue(refs.stream().anyMatch(r -> "password".equals(r.get("parameter")) && r.get("name") != null && r.get("key") != null),
                () -> auth + ": no password from a Secret");
    }

    static <T extends HasMetadata> List<T> all(List<Doc> docs, String kind, Class<T> type) {
        return docs.stream().filter(d -> d.is(kind)).map(d -> d.as(type)).toList();
    }
}
