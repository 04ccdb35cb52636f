package io.modelyard.optimization;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.TestTenant;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tuning jobs over HTTP with the in-process worker, on small generated data. */
@QuarkusTest
@SuppressWarnings("unchecked")
class TuningJobTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    private static final Duration TUNING = Duration.ofMinutes(4);
    private static final String PATH = "/v1/tuning-jobs";

    @Test
    void aSearchFindsAModelNoWorseThanTheBaselineAndTheDefaultStopsBadTrialsAndShowsEveryTrial() {
        TestTenant tenant = TestTenant.signUp("Tuner");
        String version = Datasets.upload(tenant.owner().api(), "Noisy topics", "text_classification",
                GeneratedData.topics(400, 31));
        Map<String, Object> body = new HashMap<>(Map.of("dataset_version_id", version,
                "search_space", OptimizationJobs.TINY_TEXT_SPACE, "budget", Map.of("max_trials", 10),
                "reduction_factor", 2, "seed", 5, "suffix", "tuned", "metadata", Map.of("team", "search")));
        String job = OptimizationJobs.start(tenant.owner().api(), PATH, body);
        JsonPath done = OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), PATH, job, TUNING);

        double best = done.getDouble("result.best_trial.objective_value");
        assertTrue(best >= done.getDouble("result.baseline_trial.objective_value"), done.prettify());
        assertTrue(best >= done.getDouble("result.default_trial.objective_value"), done.prettify());
        assertEquals("macro_f1", done.getString("objective"));
        assertEquals(10, done.getInt("result.trial_count"));

        String modelId = done.getString("model_id");
        JsonPath model = tenant.owner().api().get("/v1/models/" + modelId).then().statusCode(200)
                .body("training_job_id", equalTo(job))
                .body("name", equalTo("noisy-topics-tuned"))
                .body("training.tuning.trials_url", equalTo(PATH + "/" + job + "/trials"))
                .body("evaluation.classification.macro.f1", notNullValue())
                .extract().jsonPath();
        assertEquals(done.getString("result.best_trial.architecture"), model.getString("architecture"));

        List<Map<String, Object>> trials = OptimizationJobs.trials(tenant.owner().api(), job);
        assertEquals(10, trials.size());
        assertEquals(1, trials.stream().filter(t -> "baseline".equals(t.get("origin"))
                && "linear".equals(t.get("architecture"))).count());
        assertEquals(1, trials.stream().filter(t -> "default".equals(t.get("origin"))
                && "bag_of_embeddings".equals(t.get("architecture"))).count());
        // successive halving stopped some sampled trials after fewer epochs than the best got
        List<Map<String, Object>> stopped = trials.stream().filter(t -> "stopped_early".equals(t.get("state")))
                .toList();
        assertFalse(stopped.isEmpty(), "no trial was stopped early: " + trials);
        stopped.forEach(t -> assertTrue((Integer) t.get("epochs_run") < 4, t.toString()));
        assertTrue(trials.stream().anyMatch(t -> "tpe".equals(t.get("origin"))), "the sampler took over");
        for (Map<String, Object> t : trials) {
            assertNotNull(t.get("compute_seconds"), t.toString());
            assertFalse(((List<?>) t.get("history")).isEmpty(), "per-epoch metrics of " + t);
            assertNotNull(t.get("hyperparameters"));
        }

        // The Pareto front: finished trials that no other finished trial beats on quality, latency and size.
        List<Map<String, Object>> finished = trials.stream().filter(t -> "completed".equals(t.get("state"))).toList();
        List<Map<String, Object>> front = finished.stream().filter(t -> Boolean.TRUE.equals(t.get("pareto"))).toList();
        assertFalse(front.isEmpty());
        for (Map<String, Object> p : front) {
            for (Map<String, Object> q : finished) {
                assertFalse(dominates(q, p), q + " dominates front member " + p);
            }
        }
        for (Map<String, Object> q : finished) {
            if (!Boolean.TRUE.equals(q.get("pareto"))) {
                assertTrue(finished.stream().anyMatch(p -> dominates(p, q)), "off the front but undominated: " + q);
            }
        }
        assertEquals(front.size(), done.getList("result.pareto_front").size());
        // Any front member can be registered: a tenant who prefers a smaller or faster model takes it.
        Map<String, Object> cheaper = front.stream().filter(t -> !t.get("id").equals(
                done.getString("result.best_trial.id"))).findFirst().orElse(front.get(0));
        boolean isBest = cheaper.get("id").equals(done.getString("result.best_trial.id"));
        String registered = tenant.owner().api().post(PATH + "/" + job + "/trials/" + cheaper.get("id")
                + "/register").then().statusCode(isBest ? 200 : 201)
                .body("architecture", equalTo(cheaper.get("architecture")))
                .body("training.tuning.trial_id", equalTo(cheaper.get("id")))
                .body("evaluation.classification.macro.f1", notNullValue()).extract().path("id");
        // Asked again (a retry), the trial answers the model it became, not another version.
        int models = tenant.owner().api().get("/v1/models").then().extract().path("data.size()");
        tenant.owner().api().post(PATH + "/" + job + "/trials/" + cheaper.get("id") + "/register").then()
                .statusCode(200).body("id", equalTo(registered));
        tenant.owner().api().get("/v1/models").then().body("data.size()", equalTo(models));
        // The best trial is the job's own model already.
        tenant.owner().api().post(PATH + "/" + job + "/trials/" + done.getString("result.best_trial.id")
                + "/register").then().statusCode(200).body("id", equalTo(modelId));
        assertProblem(tenant.owner().api().post(PATH + "/" + job + "/trials/" + stopped.get(0).get("id")
                + "/register"), 409, "trial-has-no-model");
        assertProblem(tenant.owner().api().post(PATH + "/" + job + "/trials/trl_nope/register"), 404, "not-found");

        // per-epoch metrics of each trial are events of the job, through the generic job events too
        List<Map<String, Object>> metrics = tenant.owner().api().get("/v1/jobs/" + job + "/events?limit=100")
                .then().statusCode(200).extract().jsonPath().getList("data.findAll { it.type == 'metric' }.data");
        assertTrue(metrics.stream().anyMatch(m -> m.containsKey("trial") && m.containsKey("macro_f1")));
        tenant.owner().api().get(PATH + "?metadata[team]=search").then().body("data[0].id", equalTo(job))
                .body("data[0].object", equalTo("tuning_job"));
        // every compute second is billed once, to the job
        tenant.owner().api().get("/v1/usage/events?meter=training_cpu_seconds").then().statusCode(200)
                .body("data.findAll { it.job_id == '" + job + "' }.size()", equalTo(1));
    }

    @Test
    void aSpentComputeBudgetStopsTheSearchCleanlyAndBillsWhatWasUsed() {
        TestTenant tenant = TestTenant.signUp("Frugal tuner");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(300, 32));
        String job = OptimizationJobs.start(tenant.owner().api(), PATH, Map.of("dataset_version_id", version,
                "search_space", OptimizationJobs.TINY_TEXT_SPACE,
                // One second of compute: 60 of these tiny trials take about three on a quiet machine, so the
                // budget, not the trial count, ends the search (with 3 s, a quiet run finished all 60 first).
                "budget", Map.of("max_trials", 60, "max_compute_seconds", 1)));
        JsonPath done = OptimizationJobs.awaitFinished(() -> tenant.owner().api(), PATH, job, TUNING);
        List<Map<String, Object>> trials = OptimizationJobs.trials(tenant.owner().api(), job);
        assertTrue(trials.size() < 60, "the budget stopped the search: " + trials.size() + " trials");
        List<Map<String, Object>> usage = tenant.owner().api().get("/v1/usage/events?meter=training_cpu_seconds")
                .then().statusCode(200).extract().jsonPath().getList("data.findAll { it.job_id == '" + job + "' }");
        assertEquals(1, usage.size(), "billed once: " + usage);
        double billed = Double.parseDouble(usage.get(0).get("quantity").toString());
        assertTrue(billed >= 1, "the spent budget is billed: " + billed);
        if ("succeeded".equals(done.getString("state"))) {
            assertEquals(true, done.getBoolean("result.budget_exhausted"));
            assertEquals(billed, done.getDouble("result.compute_seconds"), 1e-6);
        } else {
            assertEquals("budget_exhausted", done.getString("error.code"), done.prettify());
        }
    }

    @Test
    void aPausedSearchHoldsNoWorkerAndContinuesWhereItWasWhenResumed() {
        TestTenant tenant = TestTenant.signUp("Pausing tuner");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(300, 36));
        Map<String, Object> space = new HashMap<>(OptimizationJobs.TINY_TEXT_SPACE);
        space.put("max_epochs", 8);
        String job = OptimizationJobs.start(tenant.owner().api(), PATH, Map.of("dataset_version_id", version,
                "search_space", space, "budget", Map.of("max_trials", 6), "reduction_factor", 2));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                OptimizationJobs.trials(tenant.owner().api(), job).size() >= 3);
        tenant.owner().api().post(PATH + "/" + job + "/pause").then().statusCode(200);
        JsonPath paused = OptimizationJobs.awaitFinishedOr(() -> tenant.owner().api(), PATH, job, "paused", TUNING);
        if (!"paused".equals(paused.getString("state"))) {
            return; // the search was done before the pause arrived: nothing to resume
        }
        List<Map<String, Object>> atPause = OptimizationJobs.trials(tenant.owner().api(), job);
        // nothing trains while paused: another job of the tenant gets the worker and finishes
        String other = OptimizationJobs.start(tenant.owner().api(), "/v1/training-jobs", Map.of(
                "dataset_version_id", version, "architecture", "linear"));
        OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), "/v1/training-jobs", other, TUNING);
        assertEquals(atPause, OptimizationJobs.trials(tenant.owner().api(), job));

        tenant.owner().api().post(PATH + "/" + job + "/resume").then().statusCode(200);
        OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), PATH, job, TUNING);
        List<Map<String, Object>> trials = OptimizationJobs.trials(tenant.owner().api(), job);
        assertEquals(6, trials.size());
        assertEquals(List.of(6, 5, 4, 3, 2, 1), trials.stream().map(t -> t.get("number")).toList(),
                "every trial once: " + trials);
        for (Map<String, Object> t : trials) {
            List<Map<String, Object>> history = (List<Map<String, Object>>) t.get("history");
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, history.get(i).get("epoch"), "trial " + t.get("number") + " epochs " + history);
            }
        }
        // trials finished before the pause were not trained again
        for (Map<String, Object> before : atPause) {
            if (List.of("completed", "stopped_early", "failed").contains(before.get("state"))) {
                Map<String, Object> after = trials.stream().filter(t -> t.get("id").equals(before.get("id")))
                        .findFirst().orElseThrow();
                assertEquals(before.get("compute_seconds"), after.get("compute_seconds"));
            }
        }
    }

    @Test
    void aSearchWhoseWorkerLostItsLeaseContinuesWhereItWasOnTheNextAttempt() throws Exception {
        TestTenant tenant = TestTenant.signUp("Resilient tuner");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(300, 37));
        Map<String, Object> space = new HashMap<>(OptimizationJobs.TINY_TEXT_SPACE);
        space.put("max_epochs", 8);
        String job = OptimizationJobs.start(tenant.owner().api(), PATH, Map.of("dataset_version_id", version,
                "search_space", space, "budget", Map.of("max_trials", 6), "reduction_factor", 2));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                OptimizationJobs.trials(tenant.owner().api(), job).size() >= 3);
        List<Map<String, Object>> before = OptimizationJobs.trials(tenant.owner().api(), job);
        // The lease passes to a worker that died (as if this one had been killed and the job re-claimed by one
        // that died too): this worker's heartbeat no longer finds it, so it stops; the reaper hands the expired
        // lease to the next attempt, which this worker claims.
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement expire = connection.prepareStatement("update jobs set lease_owner = 'dead-worker',"
                        + " lease_expires_at = now() - interval '1 second' where id = ? and state = 'running'")) {
            expire.setString(1, job);
            if (expire.executeUpdate() == 0) {
                return; // the search was already over: there is no lease left to lose
            }
        }
        JsonPath done = OptimizationJobs.awaitSucceeded(() -> tenant.owner().api(), PATH, job, TUNING);
        assertEquals(2, done.getInt("attempt"), "a second attempt finished the search");
        List<Map<String, Object>> trials = OptimizationJobs.trials(tenant.owner().api(), job);
        assertEquals(List.of(6, 5, 4, 3, 2, 1), trials.stream().map(t -> t.get("number")).toList(),
                "every trial once: " + trials);
        for (Map<String, Object> earlier : before) {
            if (List.of("completed", "stopped_early", "failed").contains(earlier.get("state"))) {
                Map<String, Object> after = trials.stream().filter(t -> t.get("id").equals(earlier.get("id")))
                        .findFirst().orElseThrow();
                assertEquals(earlier.get("compute_seconds"), after.get("compute_seconds"), "not trained again");
            }
        }
        for (Map<String, Object> t : trials) {
            List<Map<String, Object>> history = (List<Map<String, Object>>) t.get("history");
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, history.get(i).get("epoch"), "trial " + t.get("number") + " epochs " + history);
            }
        }
        List<Map<String, Object>> events = tenant.owner().api().get("/v1/jobs/" + job + "/events?limit=100").then()
                .extract().jsonPath().getList("data");
        assertTrue(events.stream().anyMatch(e -> "resumed".equals(e.get("type"))));
        tenant.owner().api().get("/v1/usage/events?meter=training_cpu_seconds").then()
                .body("data.findAll { it.job_id == '" + job + "' }.size()", equalTo(1));
    }

    @Test
    void badRequestsNameTheFieldAndStartNothing() {
        TestTenant tenant = TestTenant.signUp("Careless tuner");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 33));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "objective", "r2"))
                .post(PATH), 400, "validation-failed").body("errors[0].field", equalTo("objective"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "objective", "auc"))
                .post(PATH), 400, "validation-failed");
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "strategy", "grid"))
                .post(PATH), 400, "validation-failed").body("errors[0].field", equalTo("strategy"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "budget",
                Map.of("max_trials", 1))).post(PATH), 400, "validation-failed")
                .body("errors[0].field", equalTo("budget.max_trials"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "search_space",
                Map.of("architectures", List.of("mlp")))).post(PATH), 400, "validation-failed")
                .body("errors[0].field", equalTo("search_space.architectures"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "search_space",
                Map.of("dimensions", Map.of("learning_rate", Map.of("min", 0.1, "max", 0.01))))).post(PATH), 400,
                "validation-failed").body("errors[0].field", equalTo("search_space.dimensions.learning_rate"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "search_space",
                Map.of("dimensions", Map.of("momentum", Map.of("values", List.of(0.9)))))).post(PATH), 400,
                "validation-failed").body("errors[0].field", equalTo("search_space.dimensions.momentum"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "search_space",
                Map.of("min_epochs", 5, "max_epochs", 2))).post(PATH), 400, "validation-failed")
                .body("errors[0].field", equalTo("search_space.max_epochs"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "reduction_factor", 9))
                .post(PATH), 400, "validation-failed").body("errors[0].field", equalTo("reduction_factor"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", version, "bugdet", Map.of()))
                .post(PATH), 400, "validation-failed");
        assertProblem(tenant.owner().api().body(Map.of()).post(PATH), 400, "validation-failed")
                .body("errors[0].field", equalTo("dataset_version_id"));
        assertProblem(tenant.owner().api().body(Map.of("dataset_version_id", "dsv_nope")).post(PATH), 404,
                "not-found");
        tenant.owner().api().get(PATH).then().body("data.size()", equalTo(0));
        tenant.owner().api().get("/v1/jobs").then().body("data.size()", equalTo(0));
    }

    @Test
    void aDryRunEstimatesAndACreateIsIdempotent() {
        TestTenant tenant = TestTenant.signUp("Estimating tuner");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 34));
        tenant.owner().api().body(Map.of("dataset_version_id", version, "dry_run", true, "reduction_factor", 3))
                .post(PATH).then().statusCode(200)
                .body("object", equalTo("tuning_estimate"))
                .body("search_space.architectures", equalTo(List.of("linear", "bag_of_embeddings", "text_cnn")))
                .body("rungs", equalTo(List.of(1, 3, 9)))
                .body("budget.max_trials", equalTo(12))
                .body("estimated_compute_seconds", org.hamcrest.Matchers.greaterThan(0))
                .body("price.within_quota", equalTo(true));
        tenant.owner().api().get(PATH).then().body("data.size()", equalTo(0));

        Map<String, Object> longSpace = new HashMap<>(OptimizationJobs.TINY_TEXT_SPACE);
        longSpace.put("max_epochs", 200);
        Map<String, Object> body = Map.of("dataset_version_id", version, "search_space", longSpace,
                "budget", Map.of("max_trials", 50));
        String first = tenant.owner().api().header("Idempotency-Key", "tune-once").body(body).post(PATH).then()
                .statusCode(202).body("object", equalTo("tuning_job")).body("state", equalTo("queued"))
                .extract().path("id");
        tenant.owner().api().header("Idempotency-Key", "tune-once").body(body).post(PATH).then().statusCode(202)
                .header("Idempotent-Replayed", "true").body("id", equalTo(first));
        assertProblem(tenant.owner().api().header("Idempotency-Key", "tune-once")
                .body(Map.of("dataset_version_id", version)).post(PATH), 409, "idempotency-key-reused");
        tenant.owner().api().get(PATH).then().body("data.size()", equalTo(1));

        // Cancelled while a trial trains: the job ends cancelled, its trial rows stay, none is left running.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                !OptimizationJobs.trials(tenant.owner().api(), first).isEmpty());
        tenant.owner().api().post(PATH + "/" + first + "/cancel").then().statusCode(200);
        JsonPath cancelled = OptimizationJobs.awaitFinished(() -> tenant.owner().api(), PATH, first, TUNING);
        if ("cancelled".equals(cancelled.getString("state"))) {
            List<Map<String, Object>> trials = OptimizationJobs.trials(tenant.owner().api(), first);
            assertTrue(trials.stream().noneMatch(t -> "running".equals(t.get("state"))), trials.toString());
        }
    }

    @Test
    void anotherTenantsTuningJobsAnswer404() {
        TestTenant owner = TestTenant.signUp("Tuning owner");
        TestTenant other = TestTenant.signUp("Tuning other");
        String version = Datasets.upload(owner.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(200, 35));
        String job = OptimizationJobs.start(owner.owner().api(), PATH, Map.of("dataset_version_id", version,
                "search_space", OptimizationJobs.TINY_TEXT_SPACE, "budget", Map.of("max_trials", 2)));
        assertProblem(other.owner().api().body(Map.of("dataset_version_id", version)).post(PATH), 404, "not-found");
        for (String id : List.of(job, io.modelyard.common.TypedId.generate("job"))) {
            assertProblem(other.owner().api().get(PATH + "/" + id), 404, "not-found");
            assertProblem(other.owner().api().get(PATH + "/" + id + "/trials"), 404, "not-found");
            assertProblem(other.owner().api().get(PATH + "/" + id + "/events"), 404, "not-found");
            assertProblem(other.owner().api().post(PATH + "/" + id + "/cancel"), 404, "not-found");
            assertProblem(other.owner().api().post(PATH + "/" + id + "/pause"), 404, "not-found");
            assertProblem(other.owner().api().post(PATH + "/" + id + "/resume"), 404, "not-found");
            assertProblem(other.owner().api().post(PATH + "/" + id + "/trials/trl_nope/register"), 404,
                    "not-found");
        }
        other.owner().api().get(PATH).then().body("data.size()", equalTo(0));
        // a training job is not a tuning job, nor the reverse
        assertProblem(owner.owner().api().get("/v1/training-jobs/" + job), 404, "not-found");
        OptimizationJobs.awaitSucceeded(() -> owner.owner().api(), PATH, job, TUNING);
    }

    private static boolean dominates(Map<String, Object> a, Map<String, Object> b) {
        double qa = ((Number) a.get("objective_value")).doubleValue();
        double qb = ((Number) b.get("objective_value")).doubleValue();
        double la = ((Number) a.get("latency_ms")).doubleValue();
        double lb = ((Number) b.get("latency_ms")).doubleValue();
        long sa = ((Number) a.get("size_bytes")).longValue();
        long sb = ((Number) b.get("size_bytes")).longValue();
        return qa >= qb && la <= lb && sa <= sb && (qa > qb || la < lb || sa < sb);
    }
}
