package io.modelyard.common;

/**
 * The paths of the public API, one place for every filter that treats them alike (tenant resolution, metering and
 * rate limits, the worker role's refusal): {@code /v1} (ours), {@code /v2} (the Open Inference Protocol) and
 * {@code /openai/v1} (the OpenAI-compatible fine-tuning facade).
 */
public final class PublicApiPaths {

    private PublicApiPaths() {
    }

    public static boolean isPublicApi(String path) {
        return path.startsWith("/v1/") || path.startsWith("/v2/") || path.startsWith("/openai/");
    }
}
