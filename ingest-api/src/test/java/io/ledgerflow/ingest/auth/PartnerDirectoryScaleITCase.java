package io.ledgerflow.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.ingest.admin.Actor;
import io.ledgerflow.ingest.admin.PartnerStore;
import io.ledgerflow.ingest.testutils.PartnerDatabases;
import io.ledgerflow.localservers.PostgresExtension;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.readmodel.PostgresMigrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The directory with 100,000 partners and keys: it loads them all at start, authenticates any of
 * them from memory, and a change among them still arrives at the next poll (only the changed rows
 * are read), not after a reload of everything.
 */
@ExtendWith(PostgresExtension.class)
class PartnerDirectoryScaleITCase {

    private static final int PARTNERS = 100_000;

    @Test
    void aHundredThousandPartnersAuthenticateFromMemoryAndChangesStillArriveAtOnce(
            PostgresServer postgres) throws SQLException {
        String url = PartnerDatabases.create(postgres, "api_partner_directory_scale_it");
        PostgresMigrations.apply(url, PostgresServer.USER, PostgresServer.PASSWORD);
        try (Connection c = PartnerDatabases.connect(url);
                Statement s = c.createStatement()) {
            // As the admin API would write them, in one change: key i is "scale-key-i".
            s.execute("UPDATE partner_directory_version SET version = 1");
            s.execute(
                    "INSERT INTO partners (partner_id, display_name, status, created_at,"
                            + " updated_at, version, change_seq) SELECT 'p' || i, 'Partner ' || i,"
                            + " 'ACTIVE', now(), now(), 1, 1 FROM generate_series(1, "
                            + PARTNERS
                            + ") i");
            s.execute(
                    "INSERT INTO api_keys (key_id, partner_id, scope, key_hash, prefix,"
                            + " created_at, change_seq) SELECT 'k' || i, 'p' || i, 'WRITE',"
                            + " sha256(convert_to('scale-key-' || i, 'UTF8')), 'lf_k' || i, now(),"
                            + " 1 FROM generate_series(1, "
                            + PARTNERS
                            + ") i");
        }
        PartnerDatabase database =
                new PartnerDatabase(url, PostgresServer.USER, PostgresServer.PASSWORD);
        long loadStart = System.nanoTime();
        try (PostgresPartnerDirectory directory =
                new PostgresPartnerDirectory(database, Clock.systemUTC(), Duration.ofSeconds(1))) {
            Duration load = Duration.ofNanos(System.nanoTime() - loadStart);
            assertThat(directory.authenticate("scale-key-1"))
                    .contains(new Partner("p1", Scope.WRITE, "k1", false));
            assertThat(directory.authenticate("scale-key-" + PARTNERS)).isPresent();
            assertThat(directory.authenticate("scale-key-" + (PARTNERS + 1))).isEmpty();

            // Authentication: one hash and one lookup, whichever of the 100,000 it is.
            long start = System.nanoTime();
            int found = 0;
            for (int i = 1; i <= 100_000; i++) {
                if (directory.authenticate("scale-key-" + i).isPresent()) {
                    found++;
                }
            }
            Duration all = Duration.ofNanos(System.nanoTime() - start);
            assertThat(found).isEqualTo(PARTNERS);

            // One change among 100,000: at the next poll.
            long version = directory.seenVersion();
            PartnerStore store = new PartnerStore(database, Clock.systemUTC());
            store.setStatus(new Actor("k2", "p2", "scale-test"), "p77777", true);
            long changeStart = System.nanoTime();
            while (!directory.authenticate("scale-key-77777").orElseThrow().suspended()) {
                assertThat(Duration.ofNanos(System.nanoTime() - changeStart))
                        .isLessThan(Duration.ofSeconds(5));
                sleep(20);
            }
            Duration propagation = Duration.ofNanos(System.nanoTime() - changeStart);
            assertThat(directory.seenVersion()).isGreaterThan(version);
            System.out.printf(
                    "directory of %d keys: loaded in %d ms, 100,000 authentications in %d ms"
                            + " (%.1f us each), a suspension seen after %d ms%n",
                    PARTNERS,
                    load.toMillis(),
                    all.toMillis(),
                    all.toNanos() / 100_000 / 1000.0,
                    propagation.toMillis());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
