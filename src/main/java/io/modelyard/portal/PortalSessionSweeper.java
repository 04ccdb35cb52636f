package io.modelyard.portal;

import io.modelyard.common.PlatformConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Deletes portal sessions past their expiry (people who closed the tab instead of signing out). */
@ApplicationScoped
class PortalSessionSweeper {

    private static final Logger LOG = Logger.getLogger(PortalSessionSweeper.class);

    private final PortalSessionStore sessions;
    private final PlatformConfig platform;

    PortalSessionSweeper(PortalSessionStore sessions, PlatformConfig platform) {
        this.sessions = sessions;
        this.platform = platform;
    }

    @Scheduled(every = "${modelyard.portal.session-sweep-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!platform.role().servesPublicApi()) {
            return;
        }
        try {
            int deleted = sessions.deleteExpired();
            if (deleted > 0) {
                LOG.debugf("Deleted %d expired portal sessions", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not delete expired portal sessions; will retry", e);
        }
    }
}
