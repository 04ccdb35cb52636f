package io.modelyard.model;

/**
 * A tenant's model names changed meaning: an alias was set, moved or removed, or a model deleted. Fired in this
 * process after the change committed, and sent to every other instance as a PostgreSQL notification on
 * {@link #CHANNEL} (payload: the tenant id), so that whoever remembers what a name resolves to forgets it.
 */
public record ModelsChanged(String tenantId) {

    public static final String CHANNEL = "modelyard_models";
}
