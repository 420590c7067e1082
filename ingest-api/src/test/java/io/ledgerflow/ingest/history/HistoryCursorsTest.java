package io.ledgerflow.ingest.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.ingest.http.ErrorCode;
import io.ledgerflow.ingest.http.InvalidRequestException;
import io.ledgerflow.readmodel.history.EntryPosition;
import io.ledgerflow.readmodel.history.TransactionPosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Cursors read back what they were issued with, and refuse everything else with one code. */
class HistoryCursorsTest {

    private static final byte[] KEY =
            "a key of at least thirty-two bytes, for tests".getBytes(StandardCharsets.UTF_8);
    private final HistoryCursors cursors = new HistoryCursors(KEY);
    private final byte[] binding = HistoryCursors.binding("transactions", "partner-a", "TRANSFER");

    @Test
    void aCursorReadsBackItsPositionToTheMicrosecond() {
        TransactionPosition position =
                new TransactionPosition(Instant.parse("2026-12-07T10:15:30.123456Z"), "t-ü:1");
        String cursor = cursors.transactions(binding, position);
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(cursors.parseTransactions(cursor, binding)).isEqualTo(position);

        EntryPosition entry = new EntryPosition(Instant.parse("1999-01-01T00:00:00Z"), 42);
        byte[] entries = HistoryCursors.binding("entries", "acc-1");
        assertThat(cursors.parseEntries(cursors.entries(entries, entry), entries)).isEqualTo(entry);
    }

    @Test
    void everyAlteredByteIsRefused() {
        String cursor =
                cursors.transactions(
                        binding,
                        new TransactionPosition(Instant.parse("2026-01-01T00:00:00Z"), "t"));
        byte[] bytes = Base64.getUrlDecoder().decode(cursor);
        for (int i = 0; i < bytes.length; i++) {
            byte[] altered = bytes.clone();
            altered[i] ^= 0x40;
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            assertThatThrownBy(() -> cursors.parseTransactions(tampered, binding))
                    .as("byte %d", i)
                    .isInstanceOfSatisfying(
                            InvalidRequestException.class,
                            e ->
                                    assertThat(e.problem().code())
                                            .isEqualTo(ErrorCode.INVALID_CURSOR));
        }
    }

    @Test
    void anotherKeyAnotherKindOrAnotherBindingIsRefused() {
        String cursor =
                cursors.transactions(
                        binding,
                        new TransactionPosition(Instant.parse("2026-01-01T00:00:00Z"), "t"));
        HistoryCursors otherKey =
                new HistoryCursors("another key of thirty-two bytes or more".getBytes());
        assertThat(code(() -> otherKey.parseTransactions(cursor, binding)))
                .isEqualTo(ErrorCode.INVALID_CURSOR);
        assertThat(code(() -> cursors.parseEntries(cursor, binding)))
                .isEqualTo(ErrorCode.INVALID_CURSOR);
        byte[] otherFilters = HistoryCursors.binding("transactions", "partner-a", "HOLD");
        assertThat(code(() -> cursors.parseTransactions(cursor, otherFilters)))
                .isEqualTo(ErrorCode.CURSOR_MISMATCH);
        // Length-prefixed parts: the same characters split differently bind differently.
        assertThat(HistoryCursors.binding("ab", "c"))
                .isNotEqualTo(HistoryCursors.binding("a", "bc"));
        assertThat(code(() -> cursors.parseTransactions("", binding)))
                .isEqualTo(ErrorCode.INVALID_CURSOR);
        assertThat(code(() -> cursors.parseTransactions("x".repeat(300), binding)))
                .isEqualTo(ErrorCode.INVALID_CURSOR);
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new HistoryCursors(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ErrorCode code(Runnable parse) {
        try {
            parse.run();
        } catch (InvalidRequestException e) {
            return e.problem().code();
        }
        throw new AssertionError("accepted");
    }
}
