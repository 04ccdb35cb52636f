package io.modelyard.portal;

import io.modelyard.common.Problem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Shows problems to people: every problem a portal request ends with — from a service, validation, the quota
 * check or the HTTP layer — becomes a page (or, for an htmx request, a fragment the page puts beside the form)
 * that says in words what the problem+json says, with the same status.
 */
public class PortalProblemPages {

    @CheckedTemplate(basePath = "portal", requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance problem(ProblemView problem, Chrome chrome);

        static native TemplateInstance problemFragment(ProblemView problem);
    }

    private final PortalSession session;

    PortalProblemPages(PortalSession session) {
        this.session = session;
    }

    @ServerResponseFilter
    public void render(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!(response.getEntity() instanceof Problem problem)
                || !(path.equals(PortalRequestFilter.PORTAL) || path.startsWith(PortalRequestFilter.PORTAL + "/"))) {
            return;
        }
        ProblemView view = ProblemView.of(problem);
        TemplateInstance page = Htmx.isRequest(request) ? Templates.problemFragment(view)
                : Templates.problem(view, session.chromeForError());
        response.setEntity(page.render(), null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
    }

    /** What a person reads of a problem. */
    public record ProblemView(int status, String title, String detail, String code, List<String> fieldErrors,
            String requestId) {

        static ProblemView of(Problem problem) {
            List<String> fields = new ArrayList<>();
            Object errors = problem.extensions().get("errors");
            if (errors instanceof List<?> list) {
                for (Object error : list) {
                    if (error instanceof io.modelyard.common.ProblemException.FieldError f) {
                        fields.add(f.field() + ": " + f.message());
                    } else if (error instanceof Map<?, ?> m) {
                        fields.add(m.get("field") + ": " + m.get("message"));
                    }
                }
            }
            Object row = problem.extensions().get("row");
            Object column = problem.extensions().get("column");
            if (row != null || column != null) {
                fields.add((row == null ? "" : "row " + row) + (row != null && column != null ? ", " : "")
                        + (column == null ? "" : "column " + column));
            }
            String code = problem.type().substring(problem.type().lastIndexOf('/') + 1);
            Object requestId = problem.extensions().get("request_id");
            return new ProblemView(problem.status(), problem.title(), problem.detail(), code, fields,
                    requestId == null ? null : requestId.toString());
        }
    }
}
