package io.modelyard.common;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Settings whose default depends on {@code modelyard.role}, applied only where nothing sets them: the {@code api}
 * role does not run the database migrations at start (the {@code migrate} role and the chart's migration Job do;
 * {@link SchemaVersionHealthCheck} keeps an api process that is newer than its schema out of rotation), while
 * {@code all}, {@code worker} and {@code migrate} still do. An explicit
 * {@code quarkus.flyway.migration.migrate-at-start} (system property, environment, application.properties) wins.
 */
@Priority(Priorities.APPLICATION)
public class RoleDefaults implements ConfigSourceInterceptor {

    static final String MIGRATE_AT_START = "quarkus.flyway.migration.migrate-at-start";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!MIGRATE_AT_START.equals(name) || (value != null && value.getConfigSourceOrdinal() > 0)) {
            return value;
        }
        // Unset, or only a built-in default (their sources have negative ordinals): derive it from the role.
        ConfigValue role = context.proceed("modelyard.role");
        boolean api = role != null && role.getValue() != null && role.getValue().trim().equalsIgnoreCase("api");
        ConfigValue.ConfigValueBuilder derived = ConfigValue.builder().withName(name)
                .withValue(Boolean.toString(!api)).withRawValue(Boolean.toString(!api))
                .withConfigSourceName("modelyard role default (" + (role == null ? "all" : role.getValue()) + ")")
                .withConfigSourceOrdinal(1);
        return derived.build();
    }
}
