package io.ledgerflow.schemas.config;

import java.io.Serializable;

/**
 * How a process reaches PostgreSQL (the read model). {@link #toString} masks the password.
 *
 * @param url JDBC URL, {@code jdbc:postgresql://host:port/database}
 * @param user database user
 * @param password database password
 */
public record PostgresSettings(String url, String user, Secret password) implements Serializable {

    /**
     * Reads the three settings under {@code prefix}: {@code postgres-} gives {@code postgres-url},
     * {@code postgres-user}, {@code postgres-password} (or {@code postgres-password-file}, or the
     * variable {@code passwordVariable}; see {@link Settings#secret}).
     */
    public static PostgresSettings read(
            Settings s, String prefix, String passwordVariable, PostgresSettings defaults) {
        return read(
                s,
                prefix + "url",
                prefix + "user",
                prefix + "password",
                passwordVariable,
                defaults);
    }

    /** {@link #read(Settings, String, String, PostgresSettings)} with each setting named. */
    public static PostgresSettings read(
            Settings s,
            String urlSetting,
            String userSetting,
            String passwordSetting,
            String passwordVariable,
            PostgresSettings defaults) {
        return new PostgresSettings(
                s.jdbcUrl(urlSetting, defaults.url(), "postgresql"),
                s.string(userSetting, defaults.user()),
                s.secret(passwordSetting, passwordVariable, defaults.password()));
    }
}
