package io.modelyard.model;

import java.time.Instant;

public record AliasView(String object, String alias, String modelId, String updatedBy, Instant updatedAt) {

    static AliasView of(ModelAlias a) {
        return new AliasView("model_alias", a.alias, a.modelId, a.updatedBy, a.updatedAt);
    }
}
