package io.modelyard.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} header on creates, with Stripe's rules: the same key and the same request give
 * the first answer again; the same key with another request is refused with 409. The key row is inserted in
 * the creating transaction, so concurrent retries wait on its unique index and then replay the committed
 * answer, and a create that fails leaves no key behind. Keys are kept at least 24 hours.
 */
@ApplicationScoped
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Pattern SANE_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final EntityManager entityManager;
    private final ObjectMapper json;

    Idempotency(EntityManager entityManager, ObjectMapper json) {
        this.entityManager = entityManager;
        this.json = json;
    }

    /** What a create answered: its body, and whether it is a replay of an earlier answer. */
    public record Outcome<T>(T body, boolean replayed) {
    }

    /**
     * Runs {@code create} once per {@code (scope, key)}.
     *
     * @param scope     whose keys these are: a tenant id, or "user:&lt;subject&gt;" before a tenant exists
     * @param key       the header value; null runs {@code create} unconditionally
     * @param operation names the operation, so one key cannot be replayed against another endpoint
     * @param request   the request body, fingerprinted to detect reuse with a different request
     * @param forReplay what of the answer may be stored and replayed (e.g. a secret shown only once is not)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> Outcome<T> once(String scope, String key, String operation, Object request, Class<T> type,
            Supplier<T> create, UnaryOperator<T> forReplay) {
        if (key == null) {
            return new Outcome<>(create.get(), false);
        }
        if (!SANE_KEY.matcher(key).matches()) {
            throw ProblemException.invalid("Idempotency-Key must be 1 to 255 visible ASCII characters.",
                    List.of(new ProblemException.FieldError(HEADER, "must be 1 to 255 visible ASCII characters")));
        }
        String fingerprint = fingerprint(operation, request);
        int inserted = entityManager.createNativeQuery("insert into idempotency_keys (scope, key, fingerprint)"
                        + " values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, scope).setParameter(2, key).setParameter(3, fingerprint)
                .executeUpdate();
        if (inserted == 0) {
            return replay(scope, key, fingerprint, type);
        }
        T body = create.get();
        entityManager.createNativeQuery("update idempotency_keys set response_status = 200,"
                        + " response_body = cast(?1 as jsonb) where scope = ?2 and key = ?3")
                .setParameter(1, write(forReplay.apply(body))).setParameter(2, scope).setParameter(3, key)
                .executeUpdate();
        return new Outcome<>(body, false);
    }

    private <T> Outcome<T> replay(String scope, String key, String fingerprint, Class<T> type) {
        Object[] row = (Object[]) entityManager.createNativeQuery("select fingerprint, cast(response_body as text)"
                        + " from idempotency_keys where scope = ?1 and key = ?2")
                .setParameter(1, scope).setParameter(2, key)
                .getSingleResult();
        if (!fingerprint.equals(row[0])) {
            throw ProblemException.conflict("idempotency-key-reused",
                    "This Idempotency-Key was already used with a different request. Use a new key for a new request.");
        }
        if (row[1] == null) {
            throw ProblemException.conflict("idempotency-key-in-progress",
                    "A request with this Idempotency-Key is still being processed; retry shortly.");
        }
        try {
            return new Outcome<>(json.readValue((String) row[1], type), true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored idempotent response is unreadable", e);
        }
    }

    private String fingerprint(String operation, Object request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(operation.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(write(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
