package io.ledgerflow.ingest.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Pagination cursors and what a key's dates make of it. */
class CursorsAndKeyStatusTest {

    @Test
    void cursorsRoundTripAndRefuseAnythingElse() {
        assertThat(Cursors.parsePartner(Cursors.partner("acme.eu"))).isEqualTo("acme.eu");
        assertThat(Cursors.parseAudit(Cursors.audit(42))).isEqualTo(42);
        for (String bad :
                new String[] {"!!!", Cursors.audit(3), "cDE6YSBi" /* p1:a b */, "x".repeat(201)}) {
            assertThatThrownBy(() -> Cursors.parsePartner(bad))
                    .isInstanceOfSatisfying(
                            InvalidRequestException.class,
                            e ->
                                    assertThat(e.problem().code())
                                            .isEqualTo(ErrorCode.INVALID_CURSOR));
        }
        assertThatThrownBy(() -> Cursors.parseAudit(Cursors.partner("acme")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aKeyStopsAtTheFirstOfRevocationExpiryAndOverlapEnd() {
        Instant t0 = Instant.parse("2026-12-07T12:00:00Z");
        ApiKeyRecord plain = key(null, null, null);
        assertThat(plain.statusAt(t0)).isEqualTo("ACTIVE");
        ApiKeyRecord rotated = key(null, null, t0.plusSeconds(60));
        assertThat(rotated.statusAt(t0)).isEqualTo("ROTATING");
        assertThat(rotated.statusAt(t0.plusSeconds(60))).isEqualTo("ROTATED");
        ApiKeyRecord expiring = key(t0.plusSeconds(10), null, null);
        assertThat(expiring.statusAt(t0)).isEqualTo("ACTIVE");
        assertThat(expiring.statusAt(t0.plusSeconds(10))).isEqualTo("EXPIRED");
        assertThat(key(t0.plusSeconds(10), t0, t0.plusSeconds(60)).statusAt(t0))
                .isEqualTo("REVOKED");
        assertThat(plain.toJson(t0).has("key")).isFalse();
        assertThat(plain.toJson(t0).get("scope").asText()).isEqualTo("write");
    }

    private static ApiKeyRecord key(Instant expiresAt, Instant revokedAt, Instant overlapEndsAt) {
        return new ApiKeyRecord(
                "abc",
                "acme",
                "WRITE",
                "lf_abc",
                Instant.parse("2026-12-01T00:00:00Z"),
                expiresAt,
                revokedAt,
                null,
                overlapEndsAt);
    }
}
