package io.modelyard.billing.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.PlatformProcess;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Metering across real processes on one database, as API replicas run it: four {@code api} processes of the
 * packaged jar, two answering after their usage commits ({@code durable}) and two at once ({@code buffered}).
 * Quotas are leased by each process and rate limits shared through the database, so what holds for one process
 * must hold for all of them together — and survive a process killed with SIGKILL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeteringProcessesIT {

    private static final Logger LOG = Logger.getLogger(MeteringProcessesIT.class);
    private static final String DB = System.getenv().getOrDefault("MODELYARD_TEST_DB", "modelyard_test");
    private static final Duration START = Duration.ofSeconds(240);

    private final List<PlatformProcess> durable = new ArrayList<>();
    private final List<PlatformProcess> buffered = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void fourReplicas() {
        Assumptions.assumeTrue(System.getProperty("modelyard.app.jar") != null,
                "runs in the integration-test phase, against the packaged jar");
        // The first migrates the database; the others start once it has (a machine shared by several builds
        // is slow: connections wait up to a minute).
        List<String> modes = List.of("durable", "durable", "buffered", "buffered");
        for (int i = 0; i < modes.size(); i++) {
            PlatformProcess process = PlatformProcess.start("api", Map.ofEntries(
                    Map.entry("modelyard.billing.durability", modes.get(i)),
                    // short lease lives, so that a killed process's leases are reclaimed within the test
                    Map.entry("modelyard.billing.lease-ttl", "3s"),
                    Map.entry("modelyard.billing.lease-idle", "1s"),
                    Map.entry("modelyard.billing.lease-reclaim-grace", "1s"),
                    Map.entry("modelyard.billing.exhausted-quota-memory", "200ms"),
                    Map.entry("modelyard.billing.aggregation-interval", "200ms"),
                    Map.entry("modelyard.serving.worker-url", "http://localhost:9"),
                    Map.entry("modelyard.internal.token", "metering-it"),
                    Map.entry("quarkus.datasource.jdbc.max-size", "16"),
                    Map.entry("quarkus.datasource.jdbc.acquisition-timeout", "60S"),
                    Map.entry("quarkus.datasource.migration.jdbc.acquisition-timeout", "60S"),
                    Map.entry("quarkus.log.level", "WARN"),
                    Map.entry("quarkus.log.category.\"io.modelyard.billing.metering.QuotaLeases\".level", "DEBUG")));
            (modes.get(i).equals("durable") ? durable : buffered).add(process);
            if (i == 0) {
                process.awaitReady(START);
            }
        }
        all().forEach(p -> p.awaitReady(START));
        RestAssured.baseURI = "http://localhost";
        RestAssured.port = URI.create(durable.get(0).url("")).getPort();
    }

    @AfterAll
    void stop() {
        RestAssured.reset();
        all().forEach(PlatformProcess::close);
    }

    private List<PlatformProcess> all() {
        List<PlatformProcess> all = new ArrayList<>(durable);
        all.addAll(buffered);
        return all;
    }

    @Test
    @Order(1)
    void aKeysRateLimitHoldsAcrossReplicas() throws Exception {
        TestTenant tenant = TestTenant.signUp("Replicated rate");
        // A rate every replica's clients exceed many times over, even on a busy machine.
        double rate = 5;
        int burst = 5;
        TestPlans.assign(tenant, TestPlans.rateLimited(rate, burst, 100_000, 100_000));
        String key = tenant.apiKey("read");

        long started = System.nanoTime();
        Load load = load(all(), key, "/v1/ping", 3, () -> System.nanoTime() - started > 8_000_000_000L);
        double seconds = (System.nanoTime() - started) / 1e9;

        double allowed = burst + rate * seconds;
        LOG.infof("Rate limit across 4 replicas: %d of %d calls served in %.1f s; the plan allows %.0f",
                load.served.get(), load.served.get() + load.limited.get(), seconds, allowed);
        assertEquals(List.of(), List.copyOf(load.unexpected), "only 200 and 429");
        assertTrue(load.served.get() <= allowed + 1, "never more than the plan: " + load.served.get());
        assertTrue(load.served.get() >= 0.9 * allowed, "within 10% of the plan: " + load.served.get());
    }

    @Test
    @Order(2)
    void replicasRacingToAHardQuotaAdmitExactlyIt() throws Exception {
        int limit = 400;
        TestTenant tenant = TestTenant.signUp("Replicated race");
        TestPlans.assign(tenant, TestPlans.hardQuota("api_requests", limit));
        String key = tenant.apiKey("read");
        // The owner's own requests (people are metered too) may have been admitted just before the plan change
        // reached every replica, without a lease; they count against the quota once aggregated, so the race
        // starts after that.
        long before = awaitAggregated(tenant.id());

        Load race = load(all(), key, "/v1/ping", 6, null);
        assertEquals(List.of(), List.copyOf(race.unexpected), "only 200 and 402");
        assertTrue(before + race.served.get() <= limit, "never past the limit: " + race.served.get());

        // What other replicas still hold comes back to the quota (idle leases are returned, a refusal asks for
        // them): one replica then serves exactly the rest, until only its own lease is open and it refuses.
        AtomicInteger rest = new AtomicInteger();
        PlatformProcess last = durable.get(0);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(300)).until(() -> {
                    while (get(last, key, "/v1/ping") == 200) {
                        rest.incrementAndGet();
                    }
                    return count("select count(*) from quota_leases where tenant_id = ? and closed_at is null",
                            tenant.id()) <= 1;
                });
        LOG.infof("Hard quota of %d across 4 replicas: %d served in the race, %d more once leases came back",
                limit, race.served.get(), rest.get());
        assertEquals(limit, before + race.served.get() + rest.get(), "admitted is the limit, exactly");
        assertEquals(0, count("select count(*) from usage_events where tenant_id = ? and lease_id is null"
                + " and source like 'key:%'", tenant.id()), "every request of the race was admitted under a lease");

        long ledger = awaitAggregated(tenant.id());
        assertEquals(limit, ledger, "ledger");
        assertEquals(limit, count("select coalesce(sum(used), 0) from usage_counters where tenant_id = ?"
                + " and meter = 'api_requests'", tenant.id()), "counter");
        assertEquals(limit, count("select coalesce(sum(quantity), 0) from usage_hourly where tenant_id = ?"
                + " and meter = 'api_requests'", tenant.id()), "hourly roll-up");
        assertEquals(limit, count("select coalesce(sum(quantity), 0) from usage_daily where tenant_id = ?"
                + " and meter = 'api_requests'", tenant.id()), "daily roll-up");
    }

    @Test
    @Order(3)
    void aDurableReplicaKilledUnderLoadLosesNothingItAnswered() throws Exception {
        KillOutcome outcome = killUnderLoad(durable.get(1), "Durable kill");
        assertTrue(outcome.ledger >= outcome.answered, "every answered request is in the ledger: " + outcome);
        assertTrue(outcome.ledger <= outcome.answered + outcome.clients, "nothing counted twice: " + outcome);
    }

    @Test
    @Order(4)
    void aBufferedReplicaStoppedWithSigtermWritesEverythingItAnswered() throws Exception {
        PlatformProcess replica = buffered.get(0);
        TestTenant tenant = TestTenant.signUp("Buffered stop");
        TestPlans.assign(tenant, TestPlans.hardQuota("api_requests", 10_000_000));
        String key = tenant.apiKey("read");
        long before = count("select count(*) from usage_events where tenant_id = ?", tenant.id());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<Load> running = background.submit(() -> load(List.of(replica), key, "/v1/ping", 4, stop::get));
        awaitServed(tenant.id(), before + 200);
        replica.terminate();
        int exit = replica.awaitExit(Duration.ofSeconds(60));
        assertTrue(exit == 0 || exit == 143, "a clean exit on SIGTERM: " + exit);
        stop.set(true);
        Load load = running.get(2, TimeUnit.MINUTES);
        background.shutdownNow();
        long ledger = count("select count(*) from usage_events where tenant_id = ?", tenant.id()) - before;
        LOG.infof("Buffered replica stopped with SIGTERM under load: %d answered, %d in the ledger",
                load.served.get(), ledger);
        assertTrue(ledger >= load.served.get(), "SIGTERM writes every buffered event: " + ledger + " of "
                + load.served.get());
        assertTrue(ledger <= load.served.get() + 4, "nothing counted twice");
    }

    @Test
    @Order(5)
    void aBufferedReplicaKilledUnderLoadLosesAtMostItsWindowAndNeverCountsTwice() throws Exception {
        KillOutcome outcome = killUnderLoad(buffered.get(1), "Buffered kill");
        LOG.infof("Buffered replica killed under load: %d answered, %d in the ledger: %d lost (the window)",
                outcome.answered, outcome.ledger, Math.max(0, outcome.answered - outcome.ledger));
        assertTrue(outcome.ledger <= outcome.answered + outcome.clients, "nothing counted twice: " + outcome);
    }

    private record KillOutcome(long answered, long ledger, int clients) {
    }

    /**
     * Loads one replica with a hard-quota tenant's calls, kills it with SIGKILL mid-load, waits for its leases
     * to be reclaimed, and checks that the quota took back exactly what the ledger does not hold.
     */
    private KillOutcome killUnderLoad(PlatformProcess replica, String name) throws Exception {
        int clients = 6;
        TestTenant tenant = TestTenant.signUp(name);
        TestPlans.assign(tenant, TestPlans.hardQuota("api_requests", 10_000_000));
        String key = tenant.apiKey("read");
        long before = count("select count(*) from usage_events where tenant_id = ?", tenant.id());
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<Load> running = background.submit(() -> load(List.of(replica), key, "/v1/ping", clients,
                () -> !replica.isAlive()));
        awaitServed(tenant.id(), before + 300);
        replica.kill();
        Load load = running.get(2, TimeUnit.MINUTES);
        background.shutdownNow();

        // Its leases expire and another replica reclaims them: the quota then holds what the ledger holds.
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                count("select count(*) from quota_leases where tenant_id = ? and closed_at is null", tenant.id()) == 0);
        long ledger = count("select count(*) from usage_events where tenant_id = ?", tenant.id());
        assertEquals(ledger, count("select coalesce(sum(admitted), 0) from quota_counters where tenant_id = ?"
                + " and meter = 'api_requests'", tenant.id()), "the quota counts what the ledger holds");
        assertEquals(ledger, awaitAggregated(tenant.id()), "counters follow the ledger");
        return new KillOutcome(load.served.get(), ledger - before, clients);
    }

    // --- load ------------------------------------------------------------------------------------------------

    private static final class Load {
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger limited = new AtomicInteger();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    }

    /**
     * {@code perReplica} clients on each replica call {@code path} until {@code stop} says so, or (stop null)
     * each until refused with 402; a client whose replica went away stops.
     */
    private Load load(List<PlatformProcess> replicas, String key, String path, int perReplica, BooleanSupplier stop)
            throws Exception {
        Load load = new Load();
        ExecutorService pool = Executors.newFixedThreadPool(replicas.size() * perReplica);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (PlatformProcess replica : replicas) {
                for (int c = 0; c < perReplica; c++) {
                    clients.add(pool.submit(() -> {
                        while (stop == null || !stop.getAsBoolean()) {
                            int status;
                            try {
                                status = get(replica, key, path);
                            } catch (IOException e) {
                                return; // the replica is gone
                            }
                            if (status == 200) {
                                load.served.incrementAndGet();
                            } else if (status == 429) {
                                load.limited.incrementAndGet();
                            } else if (status == 402 && stop == null) {
                                return;
                            } else {
                                load.unexpected.add(Integer.toString(status));
                                return;
                            }
                        }
                    }));
                }
            }
            for (Future<?> client : clients) {
                client.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return load;
    }

    private int get(PlatformProcess replica, String key, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(replica.url(path)))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    // --- the database, read as the schema owner ------------------------------------------------------------

    private void awaitServed(String tenantId, long events) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> count("select count(*) from usage_events where tenant_id = ?", tenantId) >= events);
    }

    /** Waits until the aggregator has counted everything in the tenant's ledger; returns the ledger's count. */
    private long awaitAggregated(String tenantId) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                count("select coalesce(sum(used), 0) from usage_counters where tenant_id = ? and meter = 'api_requests'",
                        tenantId) == count("select count(*) from usage_events where tenant_id = ?", tenantId));
        return count("select count(*) from usage_events where tenant_id = ?", tenantId);
    }

    private static long count(String sql, String... parameters) {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:5432/" + DB,
                "modelyard_owner", "modelyard_owner");
                PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBigDecimal(1).setScale(0, java.math.RoundingMode.UNNECESSARY).longValueExact();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
