package io.modelyard.testing;

import io.restassured.response.Response;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Two requests sent at the same moment, as two people (or a person and a retrying script) would: for checking that
 * an invariant holds whichever of them the database serves first. Each round releases both from a barrier, so
 * their transactions overlap often; a race that breaks the invariant shows within a few rounds.
 */
public final class SimultaneousRequests {

    private SimultaneousRequests() {
    }

    /** Both answers, in the order the requests were given. */
    public record Answers(Response first, Response second) {
    }

    public static Answers send(Supplier<Response> first, Supplier<Response> second) {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Response>> answers = List.of(
                    pool.submit(() -> {
                        start.await();
                        return first.get();
                    }),
                    pool.submit(() -> {
                        start.await();
                        return second.get();
                    }));
            return new Answers(answers.get(0).get(1, TimeUnit.MINUTES), answers.get(1).get(1, TimeUnit.MINUTES));
        } catch (Exception e) {
            throw new IllegalStateException("simultaneous requests did not complete", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
