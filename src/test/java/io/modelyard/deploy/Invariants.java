package io.modelyard.deploy;

import io.modelyard.deploy.ParsedManifests.Doc;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;

/** Every invariant an operator would check before applying a set of manifests, in one call. */
final class Invariants {

    private Invariants() {
    }

    static void assertHold(List<Doc> docs, Expect expect) {
        assertHold(docs, expect, false);
    }

    static void assertHold(List<Doc> docs, Expect expect, boolean inClusterDb) {
        assertAll("invariants of " + docs.size() + " documents",
                () -> WiringInvariants.labelled(docs, expect),
                () -> PodInvariants.hardened(docs, expect),
                () -> PodInvariants.probedAndSized(docs),
                () -> PodInvariants.writablePathsAreVolumes(docs),
                () -> PodInvariants.secretsByReferenceOnly(docs),
                () -> PodInvariants.rolesAndConfig(docs),
                () -> PodInvariants.gpuWorkers(docs, expect),
                () -> PodInvariants.migrationJob(docs, expect),
                () -> WiringInvariants.servicesReachPods(docs),
                () -> WiringInvariants.apiReachesWorkers(docs),
                () -> WiringInvariants.scalersAndBudgetsTargetWorkloads(docs),
                () -> WiringInvariants.ingressRoutesToApi(docs),
                () -> WiringInvariants.serviceMonitorScrapesServices(docs),
                () -> WiringInvariants.kedaScalesWorkersOnQueuedJobs(docs, expect),
                () -> NetworkInvariants.check(docs, expect, inClusterDb));
    }
}
