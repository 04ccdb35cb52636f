package io.modelyard.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Plans made for a test through the real operator API, and tenants moved onto them: a hard quota small enough
 * to reach, rate limits tight enough to hit, or limits out of the way (the free plan allows an API key 20
 * requests in a burst, 10 per second).
 */
public final class TestPlans {

    private static final TestUser OPERATOR = Keycloak.operator();

    private TestPlans() {
    }

    /** A plan with these meter terms ({@code meter -> {included, quota, limit, unit_price}}) and rate limits. */
    public static String create(Map<String, Map<String, Object>> meters, double keyRate, int keyBurst,
            double tenantRate, int tenantBurst) {
        return create(meters, keyRate, keyBurst, tenantRate, tenantBurst, 104857600);
    }

    /** As {@link #create(Map, double, int, double, int)}, with this upload limit. */
    public static String create(Map<String, Map<String, Object>> meters, double keyRate, int keyBurst,
            double tenantRate, int tenantBurst, long maxUploadBytes) {
        return create(meters, keyRate, keyBurst, tenantRate, tenantBurst, maxUploadBytes, 1073741824L);
    }

    /** As {@link #create(Map, double, int, double, int, long)}, with this storage cap. */
    public static String create(Map<String, Map<String, Object>> meters, double keyRate, int keyBurst,
            double tenantRate, int tenantBurst, long maxUploadBytes, long storageCapBytes) {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("display_name", "Test plan " + id);
        body.put("base_price", 1000);
        body.put("max_upload_bytes", maxUploadBytes);
        body.put("storage_cap_bytes", storageCapBytes);
        body.put("max_concurrent_jobs", 2);
        body.put("rate_limits", Map.of(
                "api_key", Map.of("requests_per_second", keyRate, "burst", keyBurst),
                "tenant", Map.of("requests_per_second", tenantRate, "burst", tenantBurst)));
        body.put("meters", meters);
        OPERATOR.api().body(body).post("/v1/admin/plans").then().statusCode(201);
        return id;
    }

    /** A hard quota of {@code limit} on {@code meter} (all of it included), rate limits out of the way. */
    public static String hardQuota(String meter, long limit) {
        return create(Map.of(meter, terms(limit, "hard", limit, 0)), 100_000, 100_000, 100_000, 100_000);
    }

    /** Tight rate limits, quotas out of the way. */
    public static String rateLimited(double keyRate, int keyBurst, double tenantRate, int tenantBurst) {
        return create(Map.of(), keyRate, keyBurst, tenantRate, tenantBurst);
    }

    /** An upload limit of {@code maxUploadBytes}, quotas and rate limits out of the way. */
    public static String maxUpload(long maxUploadBytes) {
        return create(Map.of(), 100_000, 100_000, 100_000, 100_000, maxUploadBytes);
    }

    /** A storage cap of {@code bytes}, quotas and rate limits out of the way. */
    public static String storageCap(long bytes) {
        return create(Map.of(), 100_000, 100_000, 100_000, 100_000, 104857600, bytes);
    }

    /** No quota or rate limit a test will reach. */
    public static String unlimited() {
        return create(Map.of(), 100_000, 100_000, 100_000, 100_000);
    }

    public static Map<String, Object> terms(long included, String quota, Long limit, double unitPrice) {
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("included", included);
        terms.put("quota", quota);
        terms.put("limit", limit);
        terms.put("unit_price", unitPrice);
        return terms;
    }

    /** Moves the tenant onto {@code plan} (at once, for the whole current period). */
    public static void assign(TestTenant tenant, String plan) {
        OPERATOR.api().body(Map.of("plan", plan))
                .patch("/v1/admin/billing-accounts/" + tenant.id()).then().statusCode(200);
    }
}
