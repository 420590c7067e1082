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
    void evidenceNamesAFewExamplesAndSaysWhenThereAreMore() {
        assertThat(Checker.examples(List.of())).isEmpty();
        assertThat(Checker.examples(List.of("a", "b"))).isEqualTo(" [a, b]");
        assertThat(Checker.examples(List.of("1", "2", "3", "4", "5", "6")))
                .isEqualTo(" [1, 2, 3, 4, 5, ...]");
    }

    @Test
    void runRecordRoundTripsThroughJson(@TempDir Path dir) {
        RunRecord record =
                new RunRecord(
                        "r1",
                        "s42",
                        "http",
                        12,
                        List.of("r1-1", "r1-2"),
                        Map.of("TRANSFER", 2L),
                        Map.of("HTTP_400/INVALID_AMOUNT", 1L));
        Path file = dir.resolve("run.json");
        record.write(file);
        assertThat(RunRecord.read(file)).isEqualTo(record);
    }
}
