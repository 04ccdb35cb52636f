package io.modelyard.common;

import java.util.List;
import java.util.function.Function;

/** A cursor-paged list: {@code {"object":"list","data":[...],"has_more":true,"next_cursor":"..."}}. */
public record Page<T>(String object, List<T> data, boolean hasMore, String nextCursor) {

    /**
     * Builds a page from rows fetched with {@code limit + 1}: the extra row only tells that more exist.
     *
     * @param idOf the cursor of a row (its id), for {@code next_cursor}
     */
    public static <R, T> Page<T> of(List<R> rowsPlusOne, PageRequest request, Function<R, String> idOf,
            Function<R, T> view) {
        boolean more = rowsPlusOne.size() > request.limit();
        List<R> rows = more ? rowsPlusOne.subList(0, request.limit()) : rowsPlusOne;
        String next = more ? idOf.apply(rows.get(rows.size() - 1)) : null;
        return new Page<>("list", rows.stream().map(view).toList(), more, next);
    }

    /** A page with everything there is: for short lists that are never paged. */
    public static <T> Page<T> complete(List<T> data) {
        return new Page<>("list", data, false, null);
    }
}
