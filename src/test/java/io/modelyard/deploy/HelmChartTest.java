package io.modelyard.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.modelyard.deploy.ParsedManifests.Doc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelmChartTest {

    private static final Expect DEFAULTS = Expect.defaults();

    @Test
    void lintPassesStrictly() {
        LintResult result = new Helm(Chart.DIR).lint().strict().call();
        assertFalse(result.isFailed(), () -> "helm lint --strict: " + result.getMessages());
        assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                () -> "helm lint --strict: " + result.getMessages());
    }

    @Test
    void defaultRenderHasEveryPieceOfTheDeployment() {
        List<Doc> docs = Chart.render(Map.of());
        Invariants.assertHold(docs, DEFAULTS);
        assertEquals(new TreeSet<>(List.of(
                        "ConfigMap/modelyard-config",
                        "Deployment/modelyard-api",
                        "Deployment/modelyard-worker",
                        "HorizontalPodAutoscaler/modelyard-api",
                        "Ingress/modelyard",
                        "Ingress/modelyard-uploads",
                        "Job/modelyard-migrate",
                        "NetworkPolicy/modelyard-api",
                        "NetworkPolicy/modelyard-database-guard",
                        "NetworkPolicy/modelyard-migrate",
                        "NetworkPolicy/modelyard-worker",
                        "PodDisruptionBudget/modelyard-api",
                        "PodDisruptionBudget/modelyard-worker",
                        "ScaledObject/modelyard-worker",
                        "Service/modelyard-api",
                        "Service/modelyard-worker",
                        "ServiceAccount/modelyard",
                        "ServiceMonitor/modelyard",
                        "TriggerAuthentication/modelyard-worker-db")),
                docs.stream().map(d -> d.kind() + "/" + d.name()).collect(Collectors.toCollection(TreeSet::new)));
    }

    /** Each toggle on and off, alone and in the combinations an operator is likely to pick. */
    static Stream<Arguments> toggles() {
        return Stream.of(
                Arguments.of(Map.of("keda.enabled", false)),
                Arguments.of(Map.of("keda.enabled", true, "keda.minReplicaCount", 1)),
                Arguments.of(Map.of("knative.enabled", true)),
                Arguments.of(Map.of("knative.enabled", true, "keda.enabled", false)),
                Arguments.of(Map.of("api.hpa.enabled", false)),
                Arguments.of(Map.of("api.hpa.enabled", false, "api.replicas", 1, "api.pdb.enabled", false)),
                Arguments.of(Map.of("ingress.tls.enabled", false)),
                Arguments.of(Map.of("ingress.enabled", false)),
                Arguments.of(Map.of("serviceMonitor.enabled", false)),
                Arguments.of(Map.of("networkPolicy.enabled", false)),
                Arguments.of(Map.of("worker.gpu.count", 2, "worker.gpu.product", "NVIDIA-A100-SXM4-80GB")),
                Arguments.of(Map.of("storage.type", "filesystem")),
                Arguments.of(Map.of("storage.s3.endpoint", "https://minio.example.com", "storage.s3.credentials.existingSecret", "")),
                Arguments.of(Map.of("storage.s3.endpoint", "http://minio.storage:9000", "storage.s3.pathStyle", true)),
                Arguments.of(Map.of("keycloak.clientSecret.existingSecret", "modelyard-oidc")),
                Arguments.of(Map.of("postgresql.cidr", "10.20.30.0/24", "postgresql.port", 6432)),
                Arguments.of(Map.of("api.image.repository", "registry.example.com/modelyard/modelyard-native", "api.image.tag", "0.1.0-native")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toggles")
    void everyToggleRendersAndKeepsTheInvariants(Map<String, Object> sets) {
        List<Doc> docs = Chart.render(sets);
        Expect expect = DEFAULTS;
        if (sets.containsKey("postgresql.cidr")) {
            expect = expect.withDatabase((String) sets.get("postgresql.cidr"), (Integer) sets.get("postgresql.port"));
        }
        if (sets.containsKey("worker.gpu.count")) {
            expect = expect.withGpu("nvidia.com/gpu", (Integer) sets.get("worker.gpu.count"));
        }
        if (sets.containsKey("keda.minReplicaCount")) {
            expect = expect.withKedaMinReplicas((Integer) sets.get("keda.minReplicaCount"));
        }
        Invariants.assertHold(docs, expect);
        assertToggleTookEffect(sets, docs);
    }

    private static void assertToggleTookEffect(Map<String, Object> sets, List<Doc> docs) {
        Set<String> kinds = docs.stream().map(d -> d.isKnativeService() ? "KnativeService" : d.kind()).collect(Collectors.toSet());
        if (Boolean.FALSE.equals(sets.get("keda.enabled"))) {
            assertFalse(kinds.contains("ScaledObject") || kinds.contains("TriggerAuthentication"), "KEDA objects without KEDA");
        }
        if (Boolean.TRUE.equals(sets.get("knative.enabled"))) {
            assertTrue(kinds.contains("KnativeService"), "no Knative Service");
            assertTrue(Workloads.pods(docs, "api").stream().allMatch(p -> p.owner().isKnativeService()), "an API Deployment beside Knative");
            assertTrue(Workloads.find(docs, "Service", "modelyard-api").isEmpty(), "an API Service beside Knative's own");
            assertFalse(kinds.contains("HorizontalPodAutoscaler") || kinds.contains("Ingress"), "HPA or Ingress beside Knative");
        } else {
            assertFalse(kinds.contains("KnativeService"), "a Knative Service with knative.enabled=false");
        }
        if (Boolean.FALSE.equals(sets.get("api.hpa.enabled"))) {
            assertFalse(kinds.contains("HorizontalPodAutoscaler"), "an HPA with api.hpa.enabled=false");
            assertNotNull(PodInvariants.deployment(docs, "api").getSpec().getReplicas(), "no API replica count without an HPA");
        }
        if (Boolean.FALSE.equals(sets.get("ingress.tls.enabled"))) {
            Ingress ingress = WiringInvariants.all(docs, "Ingress", Ingress.class).get(0);
            assertTrue(ingress.getSpec().getTls() == null || ingress.getSpec().getTls().isEmpty(), "TLS with ingress.tls.enabled=false");
        }
        if (Boolean.FALSE.equals(sets.get("ingress.enabled"))) {
            assertFalse(kinds.contains("Ingress"), "an Ingress with ingress.enabled=false");
        }
        if (Boolean.FALSE.equals(sets.get("serviceMonitor.enabled"))) {
            assertFalse(kinds.contains("ServiceMonitor"), "a ServiceMonitor with serviceMonitor.enabled=false");
        }
        if (Boolean.FALSE.equals(sets.get("networkPolicy.enabled"))) {
            assertFalse(kinds.contains("NetworkPolicy"), "NetworkPolicies with networkPolicy.enabled=false");
        }
        if (sets.containsKey("worker.gpu.product")) {
            assertEquals(sets.get("worker.gpu.product"),
                    PodInvariants.deployment(docs, "worker").getSpec().getTemplate().getSpec().getNodeSelector().get("nvidia.com/gpu.product"));
        }
        if ("filesystem".equals(sets.get("storage.type"))) {
            for (Workloads.Pod pod : Workloads.pods(docs)) {
                if (pod.longRunning()) {
                    Container container = pod.template().getSpec().getContainers().get(0);
                    String dir = pod.env(container, "MODELYARD_STORAGE_DIR", docs).orElseThrow();
                    assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals(dir)),
                            () -> pod + ": the filesystem store is not on a volume");
                    assertFalse(PodInvariants.hasEnv(container, "AWS_SECRET_ACCESS_KEY"), () -> pod + ": S3 keys without S3");
                }
            }
        }
        if (sets.containsKey("storage.s3.endpoint")) {
            Map<String, String> config = Workloads.configMap(docs, "modelyard-config").getData();
            assertEquals(sets.get("storage.s3.endpoint"), config.get("MODELYARD_STORAGE_S3_ENDPOINT"));
            assertEquals(String.valueOf(sets.getOrDefault("storage.s3.pathStyle", false)),
                    config.get("MODELYARD_STORAGE_S3_PATH_STYLE"), "path-style addressing as set");
        }
        if ("".equals(sets.get("storage.s3.credentials.existingSecret"))) {
            Container api = PodInvariants.deployment(docs, "api").getSpec().getTemplate().getSpec().getContainers().get(0);
            assertFalse(PodInvariants.hasEnv(api, "AWS_ACCESS_KEY_ID"), "S3 keys with workload identity");
        }
        if (sets.containsKey("keycloak.clientSecret.existingSecret")) {
            Container api = PodInvariants.deployment(docs, "api").getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("modelyard-oidc", api.getEnv().stream().filter(v -> v.getName().equals("QUARKUS_OIDC_CREDENTIALS_SECRET"))
                    .findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName());
        }
        if (sets.containsKey("api.image.tag")) {
            Container api = PodInvariants.deployment(docs, "api").getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("registry.example.com/modelyard/modelyard-native:0.1.0-native", api.getImage());
            assertEquals(api.getImage(), Workloads.pods(docs, "migrate").get(0).template().getSpec().getContainers().get(0).getImage(),
                    "the migration Job runs the API image unless told otherwise");
        }
    }

    @Test
    void inClusterPostgresqlGetsAnIngressPolicyInsteadOfTheGuard() {
        List<Doc> docs = Chart.render(Map.of("postgresql.inCluster.enabled", true, "postgresql.host", "postgresql.modelyard.svc"));
        Invariants.assertHold(docs, DEFAULTS, true);
        assertTrue(Workloads.find(docs, "NetworkPolicy", "modelyard-postgresql").isPresent());
        assertTrue(Workloads.find(docs, "NetworkPolicy", "modelyard-database-guard").isEmpty());
    }

    @Test
    void workerTolerationsAndGpuTypeComeFromValues() {
        List<Doc> docs = Chart.render(Map.of(), """
                worker:
                  gpu:
                    resourceName: nvidia.com/mig-1g.10gb
                  tolerations:
                    - key: nvidia.com/gpu
                      operator: Exists
                      effect: NoSchedule
                    - key: cloud.google.com/gke-spot
                      operator: Equal
                      value: "true"
                      effect: NoSchedule
                """);
        Invariants.assertHold(docs, DEFAULTS.withGpu("nvidia.com/mig-1g.10gb", 1));
        var spec = PodInvariants.deployment(docs, "worker").getSpec().getTemplate().getSpec();
        assertTrue(Selectors.tolerates(spec.getTolerations(), new io.fabric8.kubernetes.api.model.TaintBuilder()
                .withKey("cloud.google.com/gke-spot").withValue("true").withEffect("NoSchedule").build()), "spot taint");
    }

    @Test
    void onlyUploadsGetALargeBodyAndNoInternalsAreRoutedPublicly() {
        List<Doc> docs = Chart.render(Map.of());
        Ingress api = Workloads.find(docs, "Ingress", "modelyard").orElseThrow().as(Ingress.class);
        Ingress uploads = Workloads.find(docs, "Ingress", "modelyard-uploads").orElseThrow().as(Ingress.class);
        List<String> apiPaths = api.getSpec().getRules().get(0).getHttp().getPaths().stream()
                .map(p -> p.getPath()).toList();
        assertEquals(List.of("/v1", "/v2", "/openai", "/portal", "/webjars"), apiPaths);
        assertTrue(apiPaths.stream().noneMatch(p -> p.equals("/") || p.startsWith("/q")), "no / and no /q route");
        assertEquals("2m", api.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-body-size"));
        assertEquals(List.of("/v1/datasets", "/v1/batch-predictions", "/openai/v1/files", "/portal/upload"),
                uploads.getSpec().getRules().get(0).getHttp().getPaths().stream().map(p -> p.getPath()).toList());
        assertEquals("10g", uploads.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-body-size"));
        assertEquals("off", uploads.getMetadata().getAnnotations()
                .get("nginx.ingress.kubernetes.io/proxy-request-buffering"));

        Ingress withDocs = Workloads.find(Chart.render(Map.of("ingress.exposeOpenApi", true)), "Ingress", "modelyard")
                .orElseThrow().as(Ingress.class);
        assertTrue(withDocs.getSpec().getRules().get(0).getHttp().getPaths().stream()
                .anyMatch(p -> p.getPath().equals("/q/swagger-ui")), "Swagger UI when asked for");
    }

    @Test
    void onlyTheApiGetsThePortalSecretAndFromASecret() {
        List<Doc> docs = Chart.render(Map.of());
        var api = PodInvariants.deployment(docs, "api").getSpec().getTemplate().getSpec().getContainers().get(0);
        var portal = api.getEnv().stream().filter(e -> e.getName().equals("MODELYARD_PORTAL_SECRET")).findFirst()
                .orElseThrow(() -> new AssertionError("the API has no MODELYARD_PORTAL_SECRET"));
        assertEquals("modelyard-portal-secret", portal.getValueFrom().getSecretKeyRef().getName());
        var worker = PodInvariants.deployment(docs, "worker").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(worker.getEnv().stream().noneMatch(e -> e.getName().equals("MODELYARD_PORTAL_SECRET")),
                "workers serve no portal and need no portal secret");
    }

    @Test
    void theApiAndTheWorkersReadTheMasterKeyFromItsSecret() {
        for (Map<String, Object> sets : List.of(Map.<String, Object>of(), Map.<String, Object>of("knative.enabled", true))) {
            List<Doc> docs = Chart.render(sets);
            String file = Workloads.configMap(docs, "modelyard-config").getData().get("MODELYARD_ENCRYPTION_MASTER_KEY_FILE");
            assertEquals("/etc/modelyard/master-key/keyset.json", file);
            for (String component : List.of("api", "worker")) {
                for (Workloads.Pod pod : Workloads.pods(docs, component)) {
                    var volume = pod.template().getSpec().getVolumes().stream()
                            .filter(v -> v.getName().equals("master-key")).findFirst()
                            .orElseThrow(() -> new AssertionError(pod + ": no master-key volume"));
                    assertEquals("modelyard-master-key", volume.getSecret().getSecretName(), () -> pod + ": master key");
                    var mount = pod.containers().get(0).getVolumeMounts().stream()
                            .filter(m -> m.getName().equals("master-key")).findFirst()
                            .orElseThrow(() -> new AssertionError(pod + ": master key not mounted"));
                    assertEquals("/etc/modelyard/master-key", mount.getMountPath());
                    assertTrue(Boolean.TRUE.equals(mount.getReadOnly()), () -> pod + ": master key mounted writable");
                }
            }
            assertTrue(Workloads.pods(docs, "migrate").stream().allMatch(pod -> pod.template().getSpec().getVolumes()
                    == null || pod.template().getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("master-key"))),
                    "the migration Job needs no master key");
        }
    }

    @Test
    void notesTellTheOperatorWhatToDoNext() {
        Release release = new Helm(Chart.DIR).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .dryRun().clientOnly().call();
        String notes = release.getOutput();
        for (String expected : List.of("kubectl -n modelyard logs job/modelyard-migrate",
                "rollout status deployment/modelyard-api", "https://modelyard.example.com/",
                "modelyard-db-app", "modelyard-db-owner", "modelyard-db-keda", "modelyard-internal-token",
                "modelyard-portal-secret", "modelyard-s3",
                "get scaledobject modelyard-worker", "postgresql.cidr is still the documentation placeholder")) {
            assertTrue(notes.contains(expected), () -> "NOTES.txt lacks '" + expected + "':\n" + notes);
        }
    }

    /** Values that must never reach a cluster, each with the part of helm's complaint that names it. */
    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(Map.of("worker.gpu.count", 0), "worker.gpu.count"),
                Arguments.of(Map.of("worker.gpu.resourceName", "amd.com/gpu"), "worker.gpu.resourceName"),
                Arguments.of(Map.of("worker.terminationGracePeriodSeconds", 5), "worker.terminationGracePeriodSeconds"),
                Arguments.of(Map.of("storage.type", "ftp"), "storage.type"),
                Arguments.of(Map.of("storage.s3.bucket", ""), "bucket"),
                Arguments.of(Map.of("postgresql.port", 70000), "postgresql.port"),
                Arguments.of(Map.of("postgresql.cidr", "0.0.0.0/0"), "postgresql.cidr"),
                Arguments.of(Map.of("postgresql.cidr", "fd00::/64"), "postgresql.cidr"),
                Arguments.of(Map.of("postgresql.sslMode", "off"), "postgresql.sslMode"),
                Arguments.of(Map.of("keda.maxReplicaCount", 0), "keda.maxReplicaCount"),
                Arguments.of(Map.of("keda.queuedJobsPerWorker", 0), "keda.queuedJobsPerWorker"),
                Arguments.of(Map.of("api.hpa.targetCPUUtilizationPercentage", 150), "targetCPUUtilizationPercentage"),
                Arguments.of(Map.of("api.image.tag", "latest version"), "api.image.tag"),
                Arguments.of(Map.of("ingress.tls.secretName", ""), "secretName"),
                Arguments.of(Map.of("ingress.host", "not a host"), "ingress.host"),
                Arguments.of(Map.of("keycloak.authServerUrl", "keycloak.example.com"), "keycloak.authServerUrl"),
                Arguments.of(Map.of("podSecurityContext.runAsUser", 0), "podSecurityContext.runAsUser"),
                Arguments.of(Map.of("api.replica", 3), "replica"),
                Arguments.of(Map.of("config.extra.QUARKUS_DATASOURCE_PASSWORD", "hunter2"), "QUARKUS_DATASOURCE_PASSWORD"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void schemaRejectsBadValues(Map<String, Object> sets, String complaint) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Chart.template(sets));
        assertTrue(error.getMessage().contains("values don't meet the specifications of the schema"),
                () -> "rejected, but not by values.schema.json: " + error.getMessage());
        assertTrue(error.getMessage().contains(complaint), () -> "the complaint does not name " + complaint + ": " + error.getMessage());
    }

    @Test
    void schemaRejectsALiteralCredentialInExtraEnv() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Chart.template(Map.of(), """
                worker:
                  extraEnv:
                    - name: MODELYARD_S3_SECRET_ACCESS_KEY
                      value: plain-text
                """));
        assertTrue(error.getMessage().contains("worker.extraEnv"), error::getMessage);
    }

    @Test
    void schemaRejectsWorkersThatTolerateNothing() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Chart.template(Map.of(), """
                worker:
                  tolerations: []
                """));
        assertTrue(error.getMessage().contains("worker.tolerations"), error::getMessage);
    }

    /** Rules across several values, which JSON Schema cannot state: the templates fail instead. */
    static Stream<Arguments> inconsistentValues() {
        return Stream.of(
                Arguments.of(Map.of("api.hpa.minReplicas", 5, "api.hpa.maxReplicas", 3), "minReplicas must not exceed"),
                Arguments.of(Map.of("api.pdb.minAvailable", 2), "a node drain can never evict"),
                Arguments.of(Map.of("api.hpa.enabled", false, "api.replicas", 1), "a node drain can never evict"),
                Arguments.of(Map.of("keda.minReplicaCount", 5, "keda.maxReplicaCount", 2), "minReplicaCount must not exceed"),
                Arguments.of(Map.of("knative.enabled", true, "knative.minScale", 3, "knative.maxScale", 2), "minScale must not exceed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inconsistentValues")
    void templatesRejectInconsistentValues(Map<String, Object> sets, String complaint) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Chart.template(sets));
        assertTrue(error.getMessage().contains(complaint), error::getMessage);
    }

    @Test
    void workerDeploymentLeavesReplicasToKeda() {
        List<Doc> docs = Chart.render(Map.of());
        assertNull(PodInvariants.deployment(docs, "worker").getSpec().getReplicas());
        assertEquals(Integer.valueOf(3), PodInvariants.deployment(Chart.render(Map.of("keda.enabled", false, "worker.replicas", 3)), "worker")
                .getSpec().getReplicas());
    }
}
