package io.ledgerflow.sinks.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A small versioned migration runner for ClickHouse (Flyway's ClickHouse support is a separate,
 * community plugin): applies {@code clickhouse/migrations/V*__*.sql} from the class path in version
 * order and records each in {@code schema_migrations} with its checksum. Running it again is a
 * no-op. ClickHouse has no DDL transactions, so a migration's statements use {@code IF NOT EXISTS}
 * and the migration is recorded only after all of them ran: one interrupted half-way runs again in
 * full.
 */
public final class ClickHouseMigrations {

    /** Class path directory of the migration files. */
    public static final String LOCATION = "clickhouse/migrations";

    private ClickHouseMigrations() {}

    /** Creates the database if needed and applies what is pending; returns how many were. */
    public static int apply(ClickHouseTarget target) throws SQLException {
        List<Migration> available = load(LOCATION);
        try (Connection server = target.connectToServer();
                Statement s = server.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + target.database() + "`");
        }
        try (Connection db = target.connect()) {
            try (Statement s = db.createStatement()) {
                s.execute(
                        """
                        CREATE TABLE IF NOT EXISTS schema_migrations
                        (
                            version      UInt32,
                            description  String,
                            checksum     String,
                            applied_time DateTime64(3, 'UTC') DEFAULT now64(3)
                        )
                        ENGINE = MergeTree ORDER BY version
                        """);
            }
            Map<Integer, String> applied = new HashMap<>();
            try (Statement s = db.createStatement();
                    ResultSet rs =
                            s.executeQuery("SELECT version, checksum FROM schema_migrations")) {
                while (rs.next()) {
                    applied.put(rs.getInt(1), rs.getString(2));
                }
            }
            List<Migration> pending = MigrationPlan.pending(available, applied);
            for (Migration m : pending) {
                try (Statement s = db.createStatement()) {
                    for (String statement : m.statements()) {
                        s.execute(statement);
                    }
                }
                try (PreparedStatement ps =
                        db.prepareStatement(
                                "INSERT INTO schema_migrations (version, description, checksum)"
                                        + " VALUES (?, ?, ?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.description());
                    ps.setString(3, m.checksum());
                    ps.executeUpdate();
                }
            }
            return pending.size();
        }
    }

    /** Every {@code V*__*.sql} file in a class path directory, from a directory or a jar. */
    static List<Migration> load(String directory) {
        try {
            URL url = ClickHouseMigrations.class.getClassLoader().getResource(directory);
            if (url == null) {
                throw new IllegalStateException("no " + directory + " on the class path");
            }
            List<String> names = new ArrayList<>();
            if (url.getProtocol().equals("jar")) {
                JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (name.startsWith(directory + "/") && name.endsWith(".sql")) {
                        names.add(name.substring(directory.length() + 1));
                    }
                }
            } else {
                try (Stream<Path> files = Files.list(Paths.get(url.toURI()))) {
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".sql"))
                            .forEach(names::add);
                }
            }
            List<Migration> migrations = new ArrayList<>();
            for (String name : names) {
                try (InputStream in =
                        ClickHouseMigrations.class
                                .getClassLoader()
                                .getResourceAsStream(directory + "/" + name)) {
                    migrations.add(
                            Migration.of(
                                    name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            return migrations;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read migrations from " + directory, e);
        }
    }
}
