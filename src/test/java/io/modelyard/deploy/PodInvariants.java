package io.modelyard.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.modelyard.deploy.ParsedManifests.Doc;
import io.modelyard.deploy.Workloads.Pod;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every pod must be: hardened, probed, sized, and given secrets by reference only. */
final class PodInvariants {

    /** Env names that carry credentials: these must come from a secretKeyRef, never a literal. */
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|ACCESS_KEY|CREDENTIAL).*");

    private PodInvariants() {
    }

    static void hardened(List<Doc> docs, Expect expect) {
        for (Pod pod : Workloads.pods(docs)) {
            PodSpec spec = pod.template().getSpec();
            PodSecurityContext podContext = spec.getSecurityContext();
            assertFalse(Boolean.TRUE.equals(spec.getHostNetwork()), () -> pod + ": hostNetwork");
            assertFalse(Boolean.TRUE.equals(spec.getHostPID()), () -> pod + ": hostPID");
            assertFalse(Boolean.TRUE.equals(spec.getHostIPC()), () -> pod + ": hostIPC");
            if (spec.getVolumes() != null) {
                for (Volume volume : spec.getVolumes()) {
                    assertNull(volume.getHostPath(), () -> pod + ": hostPath volume " + volume.getName());
                }
            }
            assertTrue(tokenNotMounted(pod, docs), () -> pod + ": mounts a service account token it never uses");
            for (Container container : pod.containers()) {
                String where = pod + " container " + container.getName();
                SecurityContext context = container.getSecurityContext();
                assertNotNull(context, () -> where + ": no securityContext");
                Boolean nonRoot = context.getRunAsNonRoot() != null ? context.getRunAsNonRoot()
                        : podContext == null ? null : podContext.getRunAsNonRoot();
                assertEquals(Boolean.TRUE, nonRoot, () -> where + ": runAsNonRoot is not true");
                Long uid = context.getRunAsUser() != null ? context.getRunAsUser()
                        : podContext == null ? null : podContext.getRunAsUser();
                assertEquals(Long.valueOf(expect.runAsUser()), uid, () -> where + ": runs as another uid than the images");
                assertNotEquals(Boolean.TRUE, context.getPrivileged(), () -> where + ": privileged");
                assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation(),
                        () -> where + ": allowPrivilegeEscalation is not false");
                assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem(),
                        () -> where + ": root filesystem is writable");
                assertNotNull(context.getCapabilities(), () -> where + ": capabilities not dropped");
                assertTrue(context.getCapabilities().getDrop().contains("ALL"), () -> where + ": does not drop ALL capabilities");
                assertTrue(context.getCapabilities().getAdd() == null || context.getCapabilities().getAdd().isEmpty(),
                        () -> where + ": adds capabilities");
            }
        }
    }

    /** Nothing in Modelyard talks to the Kubernetes API: no pod needs a token. */
    private static boolean tokenNotMounted(Pod pod, List<Doc> docs) {
        Boolean automount = pod.template().getSpec().getAutomountServiceAccountToken();
        if (automount != null) {
            return !automount;
        }
        String account = pod.template().getSpec().getServiceAccountName();
        return account != null && Workloads.find(docs, "ServiceAccount", account)
                .map(d -> Boolean.FALSE.equals(d.as(ServiceAccount.class).getAutomountServiceAccountToken()))
                .orElse(false);
    }

    static void probedAndSized(List<Doc> docs) {
        for (Pod pod : Workloads.pods(docs)) {
            for (Container container : pod.containers()) {
                String where = pod + " container " + container.getName();
                ResourceRequirements resources = container.getResources();
                assertNotNull(resources, () -> where + ": no resources");
                Map<String, Quantity> requests = resources.getRequests();
                Map<String, Quantity> limits = resources.getLimits();
                assertNotNull(requests, () -> where + ": no resource requests");
                assertNotNull(limits, () -> where + ": no resource limits");
                assertNotNull(requests.get("cpu"), () -> where + ": no cpu request");
                assertNotNull(requests.get("memory"), () -> where + ": no memory request");
                assertNotNull(limits.get("memory"), () -> where + ": no memory limit");
                assertTrue(limits.get("memory").getNumericalAmount().compareTo(requests.get("memory").getNumericalAmount()) >= 0,
                        () -> where + ": memory limit below its request");
                if (pod.longRunning()) {
                    assertHealthProbe(where, container, container.getLivenessProbe(), "/q/health/live");
                    assertHealthProbe(where, container, container.getReadinessProbe(), "/q/health/ready");
                    if (container.getStartupProbe() != null) {
                        assertHealthProbe(where, container, container.getStartupProbe(), "/q/health/live");
                    }
                } else {
                    // A run-to-completion container is bounded by its Job instead of probed.
                    Job job = pod.owner().as(Job.class);
                    assertNotNull(job.getSpec().getActiveDeadlineSeconds(), () -> where + ": Job has no activeDeadlineSeconds");
                    assertNotNull(job.getSpec().getBackoffLimit(), () -> where + ": Job has no backoffLimit");
                    assertTrue(Set.of("Never", "OnFailure").contains(pod.template().getSpec().getRestartPolicy()),
                            () -> where + ": Job pod restartPolicy must be Never or OnFailure");
                }
            }
        }
    }

    private static void assertHealthProbe(String where, Container container, Probe probe, String path) {
        assertNotNull(probe, () -> where + ": no probe on " + path);
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, () -> where + ": probe on " + path + " is not an HTTP GET");
        assertEquals(path, get.getPath(), () -> where + ": probe path");
        if (get.getPort() != null) {
            // A named port must be one the container declares, and it must be the HTTP port.
            ContainerPort port = container.getPorts().stream()
                    .filter(p -> get.getPort().getStrVal() != null ? get.getPort().getStrVal().equals(p.getName())
                            : get.getPort().getIntVal().equals(p.getContainerPort()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(where + ": probe port " + get.getPort() + " is not declared"));
            assertEquals(Expect.HTTP_PORT, port.getContainerPort(), () -> where + ": probe port");
        }
    }

    /** A read-only root filesystem: whatever the process writes must be a declared volume. */
    static void writablePathsAreVolumes(List<Doc> docs) {
        for (Pod pod : Workloads.pods(docs)) {
            Set<String> volumes = pod.template().getSpec().getVolumes() == null ? Set.of()
                    : pod.template().getSpec().getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
            for (Container container : pod.containers()) {
                List<VolumeMount> mounts = container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
                for (VolumeMount mount : mounts) {
                    assertTrue(volumes.contains(mount.getName()),
                            () -> pod + ": mounts undeclared volume " + mount.getName());
                }
                assertTrue(mounts.stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                        () -> pod + " container " + container.getName() + ": no writable /tmp");
            }
        }
    }

    static void secretsByReferenceOnly(List<Doc> docs) {
        for (Doc doc : docs) {
            if (doc.is("Secret")) {
                Secret secret = doc.as(Secret.class);
                assertTrue(secret.getData() == null || secret.getData().isEmpty(), () -> doc + ": holds data");
                assertTrue(secret.getStringData() == null || secret.getStringData().isEmpty(), () -> doc + ": holds stringData");
            }
            if (doc.is("ConfigMap")) {
                ConfigMap map = doc.as(ConfigMap.class);
                if (map.getData() != null) {
                    for (String key : map.getData().keySet()) {
                        assertFalse(SECRET_NAME.matcher(key).matches(), () -> doc + ": credential " + key + " in a ConfigMap");
                    }
                }
            }
        }
        for (Pod pod : Workloads.pods(docs)) {
            for (Container container : pod.containers()) {
                for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                    if (!SECRET_NAME.matcher(var.getName()).matches()) {
                        continue;
                    }
                    String where = pod + " env " + var.getName();
                    assertNull(var.getValue(), () -> where + ": literal credential");
                    assertNotNull(var.getValueFrom(), () -> where + ": no valueFrom");
                    assertNotNull(var.getValueFrom().getSecretKeyRef(), () -> where + ": not from a Secret");
                    assertNotNull(var.getValueFrom().getSecretKeyRef().getName(), () -> where + ": Secret without name");
                }
            }
        }
    }

    /** Each role gets its MODELYARD_ROLE; the API and workers never migrate at start. */
    static void rolesAndConfig(List<Doc> docs) {
        for (Pod pod : Workloads.pods(docs)) {
            for (Container container : pod.template().getSpec().getContainers()) {
                String where = pod + " container " + container.getName();
                String role = pod.env(container, "MODELYARD_ROLE", docs)
                        .orElseThrow(() -> new AssertionError(where + ": no MODELYARD_ROLE"));
                assertEquals(pod.component(), role, () -> where + ": role does not match the component label");
                if (pod.longRunning()) {
                    assertEquals("false", pod.env(container, "QUARKUS_FLYWAY_MIGRATION_MIGRATE_AT_START", docs).orElse(null),
                            () -> where + ": migrates at start (the migration Job owns that)");
                    for (String name : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_OIDC_AUTH_SERVER_URL",
                            "QUARKUS_OIDC_CLIENT_ID", "MODELYARD_STORAGE_TYPE", "MODELYARD_SERVING_WORKER_URL")) {
                        assertTrue(pod.env(container, name, docs).isPresent(), () -> where + ": no " + name);
                    }
                    assertFalse(hasEnv(container, "QUARKUS_DATASOURCE_MIGRATION_PASSWORD"),
                            () -> where + ": holds the schema owner's password");
                }
                assertTrue(container.getImage().matches("[^:@\\s]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[0-9a-f]{64})")
                        && !container.getImage().endsWith(":latest"), () -> where + ": image not pinned: " + container.getImage());
            }
        }
        assertEquals(Set.of("api", "worker", "migrate"),
                Workloads.pods(docs).stream().map(Pod::component).collect(Collectors.toSet()),
                "the roles that run");
    }

    static boolean hasEnv(Container container, String name) {
        return container.getEnv() != null && container.getEnv().stream().anyMatch(v -> v.getName().equals(name));
    }

    /** Workers run on GPU nodes and survive being told to stop; the API never asks for a GPU. */
    static void gpuWorkers(List<Doc> docs, Expect expect) {
        List<Pod> workers = Workloads.pods(docs, "worker");
        assertEquals(1, workers.size(), "one worker workload");
        Pod worker = workers.get(0);
        assertTrue(worker.owner().is("Deployment"), () -> worker + ": workers are a Deployment that KEDA scales");
        PodSpec spec = worker.template().getSpec();
        for (Container container : spec.getContainers()) {
            String where = worker + " container " + container.getName();
            Quantity request = container.getResources().getRequests().get(expect.gpuResource());
            Quantity limit = container.getResources().getLimits().get(expect.gpuResource());
            assertNotNull(limit, () -> where + ": no " + expect.gpuResource() + " limit");
            assertEquals(new Quantity(String.valueOf(expect.gpuCount())), limit, () -> where + ": GPU count");
            assertTrue(request == null || request.equals(limit), () -> where + ": GPU request differs from its limit");
        }
        assertTrue(Selectors.tolerates(spec.getTolerations(), expect.gpuTaint()),
                () -> worker + ": does not tolerate the GPU taint " + expect.gpuTaint());
        assertNotNull(spec.getNodeSelector(), () -> worker + ": no nodeSelector for GPU nodes");
        assertFalse(spec.getNodeSelector().isEmpty(), () -> worker + ": no nodeSelector for GPU nodes");
        assertNotNull(spec.getTerminationGracePeriodSeconds(), () -> worker + ": no termination grace period");
        assertTrue(spec.getTerminationGracePeriodSeconds() >= Expect.WORKER_CHECKPOINT_SECONDS + 5,
                () -> worker + ": a " + spec.getTerminationGracePeriodSeconds()
                        + " s grace period leaves no margin for a 10 s checkpoint");
        for (Pod pod : Workloads.pods(docs)) {
            if (pod.component().equals("worker")) {
                continue;
            }
            for (Container container : pod.containers()) {
                Map<String, Quantity> limits = container.getResources().getLimits();
                assertTrue(limits.keySet().stream().noneMatch(k -> k.startsWith("nvidia.com/")),
                        () -> pod + ": asks for a GPU");
            }
        }
    }

    /** The migration runs as a Job before the rollout, with only what exists before the release. */
    static void migrationJob(List<Doc> docs, Expect expect) {
        List<Pod> jobs = Workloads.pods(docs, "migrate");
        assertEquals(1, jobs.size(), "one migration Job");
        Pod pod = jobs.get(0);
        assertTrue(pod.owner().is("Job"), () -> pod + ": is not a Job");
        Job job = pod.owner().as(Job.class);
        if (expect.hookAnnotations()) {
            Map<String, String> annotations = job.getMetadata().getAnnotations();
            assertNotNull(annotations, () -> pod + ": no hook annotations");
            assertEquals("pre-install,pre-upgrade", annotations.get(Chart.HOOK_ANNOTATION),
                    () -> pod + ": not a pre-install/pre-upgrade hook");
            // Hooks run before the release's own objects exist.
            for (Container container : pod.containers()) {
                assertTrue(container.getEnvFrom() == null || container.getEnvFrom().isEmpty(),
                        () -> pod + ": reads a ConfigMap that does not exist yet at pre-install");
            }
            String account = pod.template().getSpec().getServiceAccountName();
            assertTrue(account == null || account.equals("default"),
                    () -> pod + ": uses ServiceAccount " + account + " that does not exist yet at pre-install");
        }
        Container container = pod.template().getSpec().getContainers().get(0);
        for (String name : List.of("QUARKUS_DATASOURCE_MIGRATION_USERNAME", "QUARKUS_DATASOURCE_MIGRATION_PASSWORD")) {
            EnvVar var = container.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(pod + ": no " + name));
            assertNotNull(var.getValueFrom().getSecretKeyRef(), () -> pod + ": " + name + " not from a Secret");
        }
        assertTrue(pod.env(container, "QUARKUS_DATASOURCE_MIGRATION_JDBC_URL", docs).isPresent(),
                () -> pod + ": no migration JDBC URL");
    }

    static Deployment deployment(List<Doc> docs, String component) {
        return Workloads.pods(docs, component).stream()
                .filter(p -> p.owner().is("Deployment"))
                .map(p -> p.owner().as(Deployment.class))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + component + " Deployment"));
    }
}
