package io.modelyard.serving.internal;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Calls between the platform's own processes (API to workers). Documented in the README. */
@ConfigMapping(prefix = "modelyard.internal")
public interface InternalConfig {

    /**
     * The secret shared by the API and the workers; workers refuse every internal call while it is unset. Give
     * it through a Kubernetes secret ({@code MODELYARD_INTERNAL_TOKEN}), never in a file in the image.
     */
    Optional<String> token();
}
