package io.modelyard.deploy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/** The matching rules of Kubernetes itself: label selectors, taints and tolerations, IPv4 CIDRs. */
final class Selectors {

    private Selectors() {
    }

    /** A label selector as the API server applies it: an empty selector selects everything. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> safeLabels = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(safeLabels.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                if (!matches(requirement, safeLabels)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean matches(Map<String, String> matchLabels, Map<String, String> labels) {
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(matchLabels);
        return matches(selector, labels);
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("unknown selector operator " + requirement.getOperator());
        };
    }

    static boolean isEmpty(LabelSelector selector) {
        return selector != null
                && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    /** Whether a pod with these tolerations may be scheduled on a node with this taint. */
    static boolean tolerates(List<Toleration> tolerations, Taint taint) {
        return tolerations != null && tolerations.stream().anyMatch(t -> tolerates(t, taint));
    }

    private static boolean tolerates(Toleration toleration, Taint taint) {
        String effect = toleration.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String operator = toleration.getOperator() == null ? "Equal" : toleration.getOperator();
        if (operator.equals("Exists")) {
            return toleration.getKey() == null || toleration.getKey().isEmpty()
                    || toleration.getKey().equals(taint.getKey());
        }
        String value = toleration.getValue() == null ? "" : toleration.getValue();
        String taintValue = taint.getValue() == null ? "" : taint.getValue();
        return taint.getKey().equals(toleration.getKey()) && taintValue.equals(value);
    }

    /** Whether the IPv4 range {@code outer} contains all of {@code inner}. */
    static boolean cidrContains(String outer, String inner) {
        long[] o = parseCidr(outer);
        long[] i = parseCidr(inner);
        if (i[1] < o[1]) {
            return false;
        }
        long mask = o[1] == 0 ? 0 : (0xFFFFFFFFL << (32 - o[1])) & 0xFFFFFFFFL;
        return (o[0] & mask) == (i[0] & mask);
    }

    private static long[] parseCidr(String cidr) {
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new AssertionError("not an IPv4 CIDR: " + cidr);
        }
        String[] octets = parts[0].split("\\.");
        if (octets.length != 4) {
            throw new AssertionError("not an IPv4 CIDR: " + cidr);
        }
        long address = 0;
        for (String octet : octets) {
            int value = Integer.parseInt(octet);
            if (value < 0 || value > 255) {
                throw new AssertionError("not an IPv4 CIDR: " + cidr);
            }
            address = (address << 8) | value;
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 0 || prefix > 32) {
            throw new AssertionError("not an IPv4 CIDR: " + cidr);
        }
        return new long[] {address, prefix};
    }
}
