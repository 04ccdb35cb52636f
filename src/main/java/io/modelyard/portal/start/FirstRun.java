package io.modelyard.portal.start;

import java.util.List;

/** The first-run checklist of a tenant: upload → train → deploy → call, each step done or not yet. */
public record FirstRun(List<Step> steps) {

    /** One step, with where to do it and what it means. */
    public record Step(String title, String hint, boolean done, String href, String action) {
    }

    public boolean complete() {
        return steps.stream().allMatch(Step::done);
    }

    public long doneCount() {
        return steps.stream().filter(Step::done).count();
    }
}
