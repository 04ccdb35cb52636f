package io.modelyard.job;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.PostgresListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * One connection per process that listens for {@link JobSignals}: a queued job wakes idle worker threads at
 * once, a cancellation reaches the handler running the job, new events reach the clients streaming them. After
 * a lost connection everyone is woken, since notifications may have been missed meanwhile.
 */
@ApplicationScoped
class JobNotificationListener implements PostgresListener.Handler {

    private final PlatformConfig platform;
    private final JobWorker worker;
    private final JobEventStreams streams;
    private final PostgresListener listener;

    JobNotificationListener(AgroalDataSource dataSource, PlatformConfig platform, JobWorker worker,
            JobEventStreams streams) {
        this.platform = platform;
        this.worker = worker;
        this.streams = streams;
        this.listener = new PostgresListener(dataSource, "job-notifications",
                List.of(JobSignals.QUEUE_CHANNEL, JobSignals.EVENTS_CHANNEL), 2_000, this);
    }

    void start(@Observes StartupEvent event) {
        if (platform.role() != DeploymentRole.MIGRATE) {
            listener.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }

    @Override
    public void notified(String channel, String payload) {
        if (JobSignals.EVENTS_CHANNEL.equals(channel)) {
            streams.jobChanged(payload);
        } else if (payload.startsWith("queued:")) {
            worker.wake(payload.substring("queued:".length()));
        } else if (payload.startsWith("cancel:")) {
            worker.cancelRequested(payload.substring("cancel:".length()));
        } else if (payload.startsWith("pause:")) {
            worker.pauseRequested(payload.substring("pause:".length()));
        }
    }

    @Override
    public void connected() {
        worker.wake(null);
        streams.refreshAll();
    }
}
