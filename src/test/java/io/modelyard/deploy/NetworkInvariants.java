package io.modelyard.deploy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.modelyard.deploy.ParsedManifests.Doc;
import io.modelyard.deploy.Workloads.Pod;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NetworkPolicies select the pods they are meant for. Workers are reachable only from the API
 * (and Prometheus, on the same port, for /q/metrics); the database only from the Modelyard pods.
 */
final class NetworkInvariants {

    private static final Set<String> APP_COMPONENTS = Set.of("api", "worker", "migrate");

    private NetworkInvariants() {
    }

    static void check(List<Doc> docs, Expect expect, boolean inClusterDb) {
        List<NetworkPolicy> policies = WiringInvariants.all(docs, "NetworkPolicy", NetworkPolicy.class);
        if (policies.isEmpty()) {
            return;
        }
        List<Pod> pods = Workloads.pods(docs);
        for (NetworkPolicy policy : policies) {
            List<Pod> selected = selected(policy, pods);
            String name = policy.getMetadata().getName();
            if (isDatabaseGuard(policy, expect)) {
                assertTrue(selected.isEmpty(), () -> name + ": the database guard must not select Modelyard pods " + selected);
            } else if (isInClusterDatabasePolicy(policy, expect)) {
                assertTrue(inClusterDb, () -> name + ": an in-cluster database policy without an in-cluster database");
            } else {
                assertFalse(selected.isEmpty(), () -> name + ": selects no pod of this release");
                String component = selected.get(0).component();
                assertTrue(selected.stream().allMatch(p -> p.component().equals(component)),
                        () -> name + ": mixes components " + selected);
                assertTrue(name.endsWith("-" + component), () -> name + ": selects " + component + " pods");
            }
        }
        for (Pod pod : pods) {
            List<NetworkPolicy> own = policies.stream().filter(p -> Selectors.matches(p.getSpec().getPodSelector(), pod.labels())).toList();
            assertFalse(own.isEmpty(), () -> pod + ": no NetworkPolicy selects it");
            assertTrue(own.stream().anyMatch(p -> p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))),
                    () -> pod + ": its ingress and egress are not both restricted");
            assertTrue(own.stream().anyMatch(p -> reachesDatabase(p, expect, inClusterDb)),
                    () -> pod + ": cannot reach the database");
        }
        workersOnlyFromApi(policies, pods);
        apiReachesWorkers(policies, pods);
        databaseOnlyFromApp(policies, pods, expect, inClusterDb);
    }

    private static List<Pod> selected(NetworkPolicy policy, List<Pod> pods) {
        return pods.stream().filter(p -> Selectors.matches(policy.getSpec().getPodSelector(), p.labels())).toList();
    }

    private static void workersOnlyFromApi(List<NetworkPolicy> policies, List<Pod> pods) {
        List<Pod> apis = pods.stream().filter(p -> p.component().equals("api")).toList();
        for (NetworkPolicy policy : policies) {
            if (selected(policy, pods).stream().noneMatch(p -> p.component().equals("worker"))) {
                continue;
            }
            String name = policy.getMetadata().getName();
            assertTrue(policy.getSpec().getPolicyTypes().contains("Ingress"), () -> name + ": worker ingress not restricted");
            boolean apiAllowed = false;
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertNotNull(rule.getFrom(), () -> name + ": a rule open to every source");
                assertFalse(rule.getFrom().isEmpty(), () -> name + ": a rule open to every source");
                assertOnlyHttpPort(name, rule.getPorts());
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertEquals(null, peer.getIpBlock(), () -> name + ": workers reachable from an IP range");
                    assertNotNull(peer.getPodSelector(), () -> name + ": workers reachable from a whole namespace");
                    assertFalse(Selectors.isEmpty(peer.getPodSelector()), () -> name + ": workers reachable from any pod");
                    if (peer.getNamespaceSelector() == null) {
                        // Same namespace: these must be API pods and nothing else of ours.
                        List<Pod> sources = pods.stream().filter(p -> Selectors.matches(peer.getPodSelector(), p.labels())).toList();
                        assertTrue(sources.stream().allMatch(p -> p.component().equals("api")),
                                () -> name + ": workers reachable from " + sources);
                        apiAllowed |= !apis.isEmpty() && apis.stream().allMatch(a -> Selectors.matches(peer.getPodSelector(), a.labels()));
                    } else {
                        // Another namespace (Prometheus): a named namespace and labelled pods only.
                        assertFalse(Selectors.isEmpty(peer.getNamespaceSelector()), () -> name + ": workers reachable from any namespace");
                    }
                }
            }
            assertTrue(apiAllowed || apis.isEmpty(), () -> name + ": the API cannot reach the workers");
        }
    }

    private static void assertOnlyHttpPort(String name, List<NetworkPolicyPort> ports) {
        assertNotNull(ports, () -> name + ": every port open");
        assertFalse(ports.isEmpty(), () -> name + ": every port open");
        for (NetworkPolicyPort port : ports) {
            assertTrue(isPort(port.getPort(), Expect.HTTP_PORT), () -> name + ": opens port " + port.getPort());
        }
    }

    private static void apiReachesWorkers(List<NetworkPolicy> policies, List<Pod> pods) {
        List<Pod> workers = pods.stream().filter(p -> p.component().equals("worker")).toList();
        for (Pod api : pods.stream().filter(p -> p.component().equals("api")).toList()) {
            boolean allowed = policies.stream()
                    .filter(p -> Selectors.matches(p.getSpec().getPodSelector(), api.labels()))
                    .flatMap(p -> p.getSpec().getEgress().stream())
                    .anyMatch(rule -> rule.getTo() != null && rule.getTo().stream().anyMatch(peer -> peer.getNamespaceSelector() == null
                            && peer.getPodSelector() != null
                            && workers.stream().allMatch(w -> Selectors.matches(peer.getPodSelector(), w.labels())))
                            && rule.getPorts().stream().anyMatch(port -> isPort(port.getPort(), Expect.HTTP_PORT)));
            assertTrue(allowed, () -> api + ": no egress to the workers on " + Expect.HTTP_PORT);
        }
    }

    /**
     * Only Modelyard pods get egress to the database; the guard denies it to every other pod of
     * the namespace (external database), or the database's own policy admits only ours (in-cluster).
     */
    private static void databaseOnlyFromApp(List<NetworkPolicy> policies, List<Pod> pods, Expect expect, boolean inClusterDb) {
        for (NetworkPolicy policy : policies) {
            if (isDatabaseGuard(policy, expect) || !reachesDatabase(policy, expect, inClusterDb)) {
                continue;
            }
            List<Pod> selected = selected(policy, pods);
            assertTrue(!selected.isEmpty() && selected.stream().allMatch(p -> APP_COMPONENTS.contains(p.component())),
                    () -> policy.getMetadata().getName() + ": opens the database to " + selected);
            assertFalse(Selectors.isEmpty(policy.getSpec().getPodSelector()),
                    () -> policy.getMetadata().getName() + ": opens the database to every pod of the namespace");
        }
        if (inClusterDb) {
            NetworkPolicy dbPolicy = policies.stream().filter(p -> isInClusterDatabasePolicy(p, expect)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ingress NetworkPolicy on the in-cluster database"));
            for (NetworkPolicyIngressRule rule : dbPolicy.getSpec().getIngress()) {
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertEquals(null, peer.getIpBlock(), "the database reachable from an IP range");
                    if (peer.getPodSelector() != null) {
                        List<Pod> sources = pods.stream().filter(p -> Selectors.matches(peer.getPodSelector(), p.labels())).toList();
                        assertTrue(sources.stream().allMatch(p -> APP_COMPONENTS.contains(p.component()))
                                        && sources.stream().map(Pod::component).distinct().count() == APP_COMPONENTS.size(),
                                () -> "the database admits " + sources);
                    } else {
                        // Only KEDA's operator namespace may come in without a pod selector.
                        assertNotNull(peer.getNamespaceSelector(), "the database open to everyone");
                        assertFalse(Selectors.isEmpty(peer.getNamespaceSelector()), "the database open to every namespace");
                    }
                }
            }
        } else {
            NetworkPolicy guard = policies.stream().filter(p -> isDatabaseGuard(p, expect)).findFirst()
                    .orElseThrow(() -> new AssertionError("no NetworkPolicy keeps the other pods of the namespace from the database"));
            assertEquals(List.of("Egress"), guard.getSpec().getPolicyTypes(), "the guard restricts egress");
        }
    }

    /** A policy whose egress lets its pods connect to the database address and port. */
    private static boolean reachesDatabase(NetworkPolicy policy, Expect expect, boolean inClusterDb) {
        if (policy.getSpec().getEgress() == null || !policy.getSpec().getPolicyTypes().contains("Egress")) {
            return false;
        }
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            boolean port = rule.getPorts() == null || rule.getPorts().isEmpty()
                    || rule.getPorts().stream().anyMatch(p -> isPort(p.getPort(), expect.dbPort()));
            if (!port) {
                continue;
            }
            if (rule.getTo() == null || rule.getTo().isEmpty()) {
                return true;
            }
            for (NetworkPolicyPeer peer : rule.getTo()) {
                IPBlock block = peer.getIpBlock();
                if (!inClusterDb && block != null && Selectors.cidrContains(block.getCidr(), expect.dbCidr())
                        && (block.getExcept() == null || block.getExcept().stream().noneMatch(e -> Selectors.cidrContains(e, expect.dbCidr())))) {
                    return true;
                }
                if (inClusterDb && peer.getPodSelector() != null
                        && Selectors.matches(peer.getPodSelector(), expect.inClusterDbLabels())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The policy on every non-Modelyard pod: egress anywhere but the database range. */
    private static boolean isDatabaseGuard(NetworkPolicy policy, Expect expect) {
        LabelSelector selector = policy.getSpec().getPodSelector();
        boolean othersOnly = selector.getMatchExpressions() != null && selector.getMatchExpressions().stream()
                .anyMatch(r -> r.getKey().equals("app.kubernetes.io/instance") && r.getOperator().equals("NotIn")
                        && r.getValues().contains(expect.instance()));
        if (!othersOnly || policy.getSpec().getEgress() == null) {
            return false;
        }
        return policy.getSpec().getEgress().stream().flatMap(r -> r.getTo() == null ? Stream.empty() : r.getTo().stream())
                .filter(peer -> peer.getIpBlock() != null)
                .allMatch(peer -> peer.getIpBlock().getExcept() != null
                        && peer.getIpBlock().getExcept().stream().anyMatch(e -> Selectors.cidrContains(e, expect.dbCidr())));
    }

    private static boolean isInClusterDatabasePolicy(NetworkPolicy policy, Expect expect) {
        LabelSelector selector = policy.getSpec().getPodSelector();
        return selector.getMatchLabels() != null && selector.getMatchLabels().equals(expect.inClusterDbLabels());
    }

    private static boolean isPort(IntOrString port, int number) {
        return port != null && port.getIntVal() != null && port.getIntVal() == number;
    }
}
