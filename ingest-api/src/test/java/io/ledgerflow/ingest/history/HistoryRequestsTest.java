package io.ledgerflow.ingest.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.ingest.http.InvalidRequestException;
import io.vertx.core.MultiMap;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Query parameters, content negotiation and CSV quoting of the history routes, without servers. */
class HistoryRequestsTest {

    private static HistoryQuery query(String name, String value) {
        return HistoryQuery.of(MultiMap.caseInsensitiveMultiMap().add(name, value), false, name);
    }

    @Test
    void timesAreRoundedUpToTheMicrosecondSoAHalfOpenRangeKeepsItsRows() {
        assertThat(query("from", "2026-12-01T00:00:00.0000001Z").time("from"))
                .isEqualTo(Instant.parse("2026-12-01T00:00:00.000001Z"));
        assertThat(query("from", "2026-12-01T00:00:00.000001Z").time("from"))
                .isEqualTo(Instant.parse("2026-12-01T00:00:00.000001Z"));
        // An unencoded + arrives as a space.
        assertThat(query("to", "2026-12-01T01:00:00 01:00").time("to"))
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThatThrownBy(() -> query("to", "2026-12-01T01:00:00").time("to"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theLimitIsAWholeNumberFromOneTo200() {
        assertThat(query("limit", "200").limit()).isEqualTo(200);
        assertThat(query("limit", "1").limit()).isEqualTo(1);
        for (String bad : new String[] {"0", "201", "-1", "1e2", "0x10", "99999999999", " 5"}) {
            assertThatThrownBy(() -> query("limit", bad).limit())
                    .as(bad)
                    .isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void aStatementIsCsvOnlyWhenAskedForAndJsonOtherwise() {
        assertThat(HistoryEndpoints.wantsCsv(null)).isFalse();
        assertThat(HistoryEndpoints.wantsCsv("*/*")).isFalse();
        assertThat(HistoryEndpoints.wantsCsv("application/json")).isFalse();
        assertThat(HistoryEndpoints.wantsCsv("text/csv")).isTrue();
        assertThat(HistoryEndpoints.wantsCsv("application/json;q=0.5, text/csv")).isTrue();
        assertThat(HistoryEndpoints.wantsCsv("text/csv;q=0, application/json")).isFalse();
        assertThatThrownBy(() -> HistoryEndpoints.wantsCsv("application/xml"))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> HistoryEndpoints.wantsCsv("text/csv;q=0"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void csvFieldsAreQuotedAsRfc4180Says() {
        assertThat(StatementCsv.field("plain")).isEqualTo("plain");
        assertThat(StatementCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(StatementCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(StatementCsv.field("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
    }
}
