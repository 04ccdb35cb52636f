package io.modelyard.job;

import jakarta.validation.constraints.NotBlank;
import java.util.Map;

public final class JobRequests {

    private JobRequests() {
    }

    /**
     * {@code POST /v1/jobs}: only canary jobs ({@code noop}) are created here; real work has its own resources
     * (e.g. {@code /v1/training-jobs}).
     */
    public record CreateJob(@NotBlank String type, Map<String, String> metadata) {
    }
}
