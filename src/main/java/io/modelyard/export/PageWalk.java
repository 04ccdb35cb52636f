package io.modelyard.export;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import java.io.IOException;
import java.util.function.Function;

/**
 * Walks a cursor-paged list to its end, one page (and one short transaction) at a time, so an export of a large
 * table never holds more than a page of it.
 */
final class PageWalk {

    /** What is done with each element; may write to the archive. */
    @FunctionalInterface
    interface Step<T> {
        void accept(T element) throws IOException;
    }

    private PageWalk() {
    }

    static <T> void each(Function<PageRequest, Page<T>> fetch, Step<T> step) throws IOException {
        String after = null;
        do {
            Page<T> page = fetch.apply(new PageRequest(PageRequest.MAX_LIMIT, after));
            for (T element : page.data()) {
                step.accept(element);
            }
            after = page.hasMore() ? page.nextCursor() : null;
        } while (after != null);
    }
}
