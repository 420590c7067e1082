package io.ledgerflow.testdata.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.testdata.check.CheckResult.Finding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckResultTest {

    @Test
    void passOnlyWhenEveryFindingPassesAndTheVerdictComesFirst() {
        CheckResult pass =
                new CheckResult(
                        "r", List.of(new Finding("a", true, "e1"), new Finding("b", true, "e2")));
        assertThat(pass.passed()).isTrue();
        assertThat(pass.render()).startsWith("PASS: run r, 2 of 2 checks passed\n");
        CheckResult fail =
                new CheckResult(
                        "r",
                        List.of(
                                new Finding("a", true, "e1"),
                                new Finding("b", false, "acc-1 off by 100")));
        assertThat(fail.passed()).isFalse();
        assertThat(fail.render())
                .startsWith("FAIL: run r, 1 of 2 checks passed\n")
                .contains("  FAIL  b\n        acc-1 off by 100");
        assertThat(new CheckResult("r", List.of()).passed()).as("nothing checked").isFalse();
    }

    @Test
    void evidenceNamesAFewExamplesAndSaysHowManyInAll() {
        Examples none = new Examples();
        assertThat(none).hasToString("0");
        Examples two = new Examples();
        two.add("a");
        two.add("b");
        assertThat(two).hasToString("2 [a, b]");
        Examples many = new Examples();
        for (int i = 1; i <= 9; i++) {
            many.add(Integer.toString(i));
        }
        assertThat(many).hasToString("9 [1, 2, 3, 4, 5, ...]");
    }

    @Test
    void runRecordRoundTripsThroughJson(@TempDir Path dir) {
        RunRecord record =
                new RunRecord(
                        "r1",
                        "s42",
                        "http",
                        12,
                        "m:1-2;d:;x:",
                        Map.of("TRANSFER", 2L),
                        Map.of("HTTP_400/INVALID_AMOUNT", 1L));
        Path file = dir.resolve("run.json");
        record.write(file);
        assertThat(RunRecord.read(file)).isEqualTo(record);
        assertThat(RunRecord.read(file).acceptedTransactionIds()).containsExactly("r1-1", "r1-2");
    }
}
