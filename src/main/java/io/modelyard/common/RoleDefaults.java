package io.modelyard.common;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.List;

/**
 * Settings whose default depends on {@code modelyard.role}, applied only where nothing sets them: the {@code api}
 * role does not run the database migrations at start (the {@code migrate} role and the chart's migration Job do;
 * {@link SchemaVersionHealthCheck} keeps an api process that is newer than its schema out of rotation), while
 * {@code all}, {@code worker} and {@code migrate} still do. An explicit
 * {@code quarkus.flyway.migration.migrate-at-start} (system property, environment, application.properties) wins.
 *
 * <p>With nothing to migrate, the {@code api} role also leaves the schema owner's datasource inactive
 * ({@code quarkus.datasource.migration.active}): Quarkus builds a Flyway engine for every active datasource at
 * start-up (its configuration and plug-ins, whether or not it runs), and the api role uses that datasource for
 * nothing else. Any Flyway {@code *-at-start} action set to true, or an explicit {@code active}, keeps it on.
 */
@Priority(Priorities.APPLICATION)
public class RoleDefaults implements ConfigSourceInterceptor {

    static final String MIGRATE_AT_START = "quarkus.flyway.migration.migrate-at-start";
    static final String MIGRATION_DATASOURCE_ACTIVE = "quarkus.datasource.migration.active";
    private static final List<String> START_ACTIONS = List.of(MIGRATE_AT_START,
            "quarkus.flyway.migration.validate-at-start", "quarkus.flyway.migration.repair-at-start",
            "quarkus.flyway.migration.baseline-at-start", "quarkus.flyway.migration.clean-at-start");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!(MIGRATE_AT_START.equals(name) || MIGRATION_DATASOURCE_ACTIVE.equals(name)) || isSet(value)) {
            return value;
        }
        // Unset, or only a built-in default (their sources have negative ordinals): derive it from the role.
        ConfigValue role = context.proceed("modelyard.role");
        boolean api = role != null && role.getValue() != null && role.getValue().trim().equalsIgnoreCase("api");
        boolean derived;
        if (MIGRATE_AT_START.equals(name)) {
            derived = !api;
        } else if (api) {
            derived = START_ACTIONS.stream().map(context::proceed).anyMatch(RoleDefaults::isSetTrue);
        } else {
            return value; // other roles: Quarkus's default (active)
        }
        return ConfigValue.builder().withName(name)
                .withValue(Boolean.toString(derived)).withRawValue(Boolean.toString(derived))
                .withConfigSourceName("modelyard role default (" + (role == null ? "all" : role.getValue()) + ")")
                .withConfigSourceOrdinal(1).build();
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getConfigSourceOrdinal() > 0;
    }

    private static boolean isSetTrue(ConfigValue value) {
        return isSet(value) && "true".equalsIgnoreCase(value.getValue().trim());
    }
}
