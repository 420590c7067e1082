package io.ledgerflow.readmodel;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the read model's versioned migrations ({@code db/postgres/V*__*.sql}) with Flyway.
 * Applying them again is a no-op; an edited, already applied migration fails validation instead of
 * silently diverging.
 */
public final class PostgresMigrations {

    /** Where the migrations live on the class path. */
    public static final String LOCATION = "classpath:db/postgres";

    private PostgresMigrations() {}

    /** Brings the database up to the newest migration; returns how many were applied now. */
    public static int apply(String jdbcUrl, String user, String password) {
        MigrateResult result =
                Flyway.configure()
                        .dataSource(jdbcUrl, user, password)
                        .locations(LOCATION)
                        .connectRetries(10)
                        .load()
                        .migrate();
        return result.migrationsExecuted;
    }
}
