package io.modelyard.optimization;

import java.util.ArrayList;
import java.util.List;

/**
 * The trials no other trial beats on every count at once: quality (the objective's score, larger is better),
 * prediction latency and model size (smaller is better). A tenant picks from this front when a slightly worse
 * model that is much smaller or faster is the better deal.
 */
final class ParetoFront {

    /** A finished trial's three coordinates. */
    record Point(int number, double score, double latencyMs, long sizeBytes) {

        /** Whether this point is at least as good on every count and better on one. */
        boolean dominates(Point other) {
            boolean noWorse = score >= other.score && latencyMs <= other.latencyMs && sizeBytes <= other.sizeBytes;
            boolean better = score > other.score || latencyMs < other.latencyMs || sizeBytes < other.sizeBytes;
            return noWorse && better;
        }
    }

    private ParetoFront() {
    }

    /** The non-dominated points, in the order given. */
    static List<Point> of(List<Point> points) {
        List<Point> front = new ArrayList<>();
        for (Point p : points) {
            boolean dominated = false;
            for (Point q : points) {
                if (q != p && q.dominates(p)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(p);
            }
        }
        return front;
    }
}
