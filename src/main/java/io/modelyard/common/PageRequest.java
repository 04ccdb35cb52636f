package io.modelyard.common;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ?limit=} (default 20, max 100) and {@code ?after=<id>}. Lists run newest first, so the next page holds
 * ids smaller than the cursor. Use as a {@code @BeanParam}.
 */
public class PageRequest {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    @QueryParam("limit")
    @DefaultValue("20")
    String limit;

    @QueryParam("after")
    String after;

    public PageRequest() {
    }

    public PageRequest(int limit, String after) {
        this.limit = Integer.toString(limit);
        this.after = after;
    }

    public int limit() {
        int value;
        try {
            value = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw invalidLimit();
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw invalidLimit();
        }
        return value;
    }

    /** The cursor, or null for the first page. A malformed cursor is refused rather than ignored. */
    public String after(String idPrefix) {
        if (after == null || after.isEmpty()) {
            return null;
        }
        if (!TypedId.isWellFormed(idPrefix, after)) {
            throw ProblemException.invalid("after: not a cursor from this list.",
                    List.of(new ProblemException.FieldError("after", "must be an id returned by this list")));
        }
        return after;
    }

    /**
     * This page of an entity with no other filter than the tenant's (row-level security), as a {@link Page}: the
     * rows whose id (prefix {@code idPrefix}, time-ordered) is below the cursor, newest first.
     */
    public <E, V> Page<V> newestFirst(EntityManager entityManager, Class<E> entity, String idPrefix,
            Function<E, String> idOf, Function<E, V> view) {
        String cursor = after(idPrefix);
        TypedQuery<E> query = entityManager.createQuery("select e from " + entity.getSimpleName() + " e"
                + (cursor == null ? "" : " where e.id < :after") + " order by e.id desc", entity)
                .setMaxResults(limit() + 1);
        if (cursor != null) {
            query.setParameter("after", cursor);
        }
        return Page.of(query.getResultList(), this, idOf, view);
    }

    private static ProblemException invalidLimit() {
        return ProblemException.invalid("limit must be a whole number from 1 to " + MAX_LIMIT + ".",
                List.of(new ProblemException.FieldError("limit", "must be between 1 and " + MAX_LIMIT)));
    }
}
