package io.modelyard.job;

import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.MemberRole;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantScope;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Test jobs for a tenant: enqueued through {@link JobService} as a member would (the public API creates only
 * canary jobs), and read back through it. Plan changes go through the schema owner, as an operator's would.
 */
@ApplicationScoped
public class JobFixture {

    @Inject
    TenantScope tenantScope;

    @Inject
    JobService jobs;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    JobView enqueue(TestTenant tenant, String type, Map<String, Object> payload) {
        return enqueue(tenant, type, payload, Map.of(), null);
    }

    JobView enqueue(TestTenant tenant, String type, Map<String, Object> payload, Map<String, String> metadata,
            Integer maxAttempts) {
        return tenantScope.call(tenant.id(), member(tenant), () -> QuarkusTransaction.requiringNew()
                .call(() -> jobs.enqueue(type, payload, metadata, maxAttempts, null).body()));
    }

    /** Several jobs in one transaction: workers see them all at once. */
    List<String> enqueueMany(TestTenant tenant, int count, String type, Map<String, Object> payload) {
        return tenantScope.call(tenant.id(), member(tenant), () -> QuarkusTransaction.requiringNew().call(() -> {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(jobs.enqueue(type, payload, Map.of(), null, null).body().id());
            }
            return ids;
        }));
    }

    JobView get(TestTenant tenant, String jobId) {
        return tenantScope.call(tenant.id(), member(tenant), () -> jobs.get(jobId));
    }

    List<JobEventView> events(TestTenant tenant, String jobId) {
        return tenantScope.call(tenant.id(), member(tenant),
                () -> jobs.events(jobId, new io.modelyard.common.PageRequest(100, null)).data());
    }

    JobView awaitState(TestTenant tenant, String jobId, JobState state) {
        return awaitJob(tenant, jobId, job -> job.state() == state, Duration.ofSeconds(30));
    }

    JobView awaitJob(TestTenant tenant, String jobId, Predicate<JobView> condition, Duration timeout) {
        JobView[] last = new JobView[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = get(tenant, jobId);
            return condition.test(last[0]);
        });
        return last[0];
    }

    void setPlan(TestTenant tenant, String plan) {
        ownerUpdate("update tenants set plan = ? where id = ?", plan, tenant.id());
    }

    void ownerUpdate(String sql, String... params) {
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setString(i + 1, params[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Actor member(TestTenant tenant) {
        return new Actor(Actor.Type.USER, tenant.owner().subject(), "test owner", MemberRole.OWNER,
                Permission.of(MemberRole.OWNER));
    }
}
