package io.modelyard.deploy;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * What a render must satisfy beyond the universal invariants: the values it was rendered with.
 * {@link #defaults()} reads them from the chart's values.yaml, so the plain manifests in k8s/ are
 * held to exactly the chart's defaults.
 */
record Expect(
        String instance,
        int runAsUser,
        String gpuResource,
        int gpuCount,
        Taint gpuTaint,
        String dbCidr,
        int dbPort,
        Map<String, String> inClusterDbLabels,
        int kedaMinReplicas,
        boolean hookAnnotations) {

    /** The exact query the issue specifies: KEDA counts queued jobs and nothing else. */
    static final String QUEUED_JOBS_QUERY = "SELECT claimable_jobs()";

    /** A worker checkpoints, releases its lease and exits within this many seconds of SIGTERM. */
    static final int WORKER_CHECKPOINT_SECONDS = 10;

    static final int HTTP_PORT = 8080;

    static Expect defaults() {
        Map<String, Object> values = values();
        Map<String, Object> podSecurity = map(values, "podSecurityContext");
        Map<String, Object> gpu = map(map(values, "worker"), "gpu");
        Map<String, Object> pg = map(values, "postgresql");
        @SuppressWarnings("unchecked")
        Map<String, String> dbLabels = (Map<String, String>) map(pg, "inCluster").get("podLabels");
        return new Expect(
                Chart.RELEASE,
                ((Number) podSecurity.get("runAsUser")).intValue(),
                (String) gpu.get("resourceName"),
                ((Number) gpu.get("count")).intValue(),
                new TaintBuilder().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").build(),
                (String) pg.get("cidr"),
                ((Number) pg.get("port")).intValue(),
                dbLabels,
                ((Number) map(values, "keda").get("minReplicaCount")).intValue(),
                true);
    }

    /** The plain manifests: no Helm, so no hook annotations; the Job is applied first by hand. */
    Expect withoutHooks() {
        return new Expect(instance, runAsUser, gpuResource, gpuCount, gpuTaint, dbCidr, dbPort,
                inClusterDbLabels, kedaMinReplicas, false);
    }

    Expect withDatabase(String cidr, int port) {
        return new Expect(instance, runAsUser, gpuResource, gpuCount, gpuTaint, cidr, port,
                inClusterDbLabels, kedaMinReplicas, hookAnnotations);
    }

    Expect withGpu(String resource, int count) {
        return new Expect(instance, runAsUser, resource, count, gpuTaint, dbCidr, dbPort,
                inClusterDbLabels, kedaMinReplicas, hookAnnotations);
    }

    Expect withKedaMinReplicas(int min) {
        return new Expect(instance, runAsUser, gpuResource, gpuCount, gpuTaint, dbCidr, dbPort,
                inClusterDbLabels, min, hookAnnotations);
    }

    static Map<String, Object> values() {
        try {
            return Serialization.unmarshal(Files.readString(Chart.DIR.resolve("values.yaml")), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError("values.yaml has no map at " + key);
        }
        return (Map<String, Object>) value;
    }
}
