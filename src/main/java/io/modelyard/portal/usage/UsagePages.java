package io.modelyard.portal.usage;

import io.modelyard.billing.statements.InvoicePreviewView;
import io.modelyard.billing.statements.UsageFilter;
import io.modelyard.billing.statements.UsageService;
import io.modelyard.billing.statements.UsageSummaryView;
import io.modelyard.common.PlatformClock;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.PortalSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Usage and billing: usage per meter per day, quota bars, the invoice preview and the plan. */
@Path("/portal/t/{tenant}/usage")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class UsagePages {

    /** Days of history the charts show. */
    static final int DAYS = 30;

    @CheckedTemplate(basePath = "portal/usage")
    static class Templates {
        static native TemplateInstance usage(Chrome chrome, UsageReport report);
    }

    private final PortalSession session;
    private final UsageService usage;
    private final PlatformClock clock;

    UsagePages(PortalSession session, UsageService usage, PlatformClock clock) {
        this.session = session;
        this.usage = usage;
        this.clock = clock;
    }

    @GET
    public TemplateInstance usage() {
        Chrome chrome = session.tenantPage("usage");
        LocalDate today = clock.now().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate from = today.minusDays(DAYS - 1);
        UsageSummaryView summary = usage.summary(null);
        InvoicePreviewView invoice = usage.invoicePreview(null);
        return Templates.usage(chrome, UsageReport.of(summary, invoice,
                usage.daily(from.toString(), today.toString(), UsageFilter.of(null, null, null, null), null), from,
                today));
    }
}
