package io.ledgerflow.testdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorMainTest {

    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GeneratorMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void generateWritesJsonLinesWithSimulatedEventTimes() throws Exception {
        Path file = dir.resolve("m.jsonl");
        assertThat(run("generate", "--out", file.toString(), "--count", "300", "--partners", "5"))
                .isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.size()).isGreaterThanOrEqualTo(50 + 300);
        assertThat(lines.get(lines.size() - 1)).contains("\"eventTime\":\"");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote 25 accounts");
    }

    @Test
    void keysWritesOneLinePerPartner() throws Exception {
        Path file = dir.resolve("keys.txt");
        assertThat(run("keys", "--out", file.toString(), "--partners", "7")).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(8);
        assertThat(lines.get(1)).matches("gen-p0001:partner:[0-9a-f]{64}");
    }

    @Test
    void loadIntoAFileWritesAReportAndARunRecord() throws Exception {
        Path record = dir.resolve("run.json");
        Path report = dir.resolve("report.json");
        int status =
                run(
                        "load",
                        "--target",
                        "jsonl",
                        "--out",
                        dir.resolve("l.jsonl").toString(),
                        "--partners",
                        "3",
                        "--rate",
                        "2000",
                        "--count",
                        "200",
                        "--settle",
                        "0s",
                        "--run-id",
                        "t1",
                        "--run-record",
                        record.toString(),
                        "--report-json",
                        report.toString(),
                        "--quiet");
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Load report (jsonl, open-loop at 2000/s)");
        assertThat(Files.readString(record)).contains("\"runId\":\"t1\"");
        assertThat(Files.readString(report)).contains("\"sent\" : 200");
    }

    @Test
    void typosAndMissingValuesAreUsageErrors() {
        assertThat(run("keys", "--out", dir.resolve("k").toString(), "--partnrs", "3"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--partnrs is not a setting of this command");
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
    }

    @Test
    void invalidValuesAreUsageErrorsNamingEveryFlag() {
        assertThat(
                        run(
                                "load",
                                "--target",
                                "smtp",
                                "--invalid-share",
                                "2",
                                "--duration=-5s",
                                "--quiet",
                                "yes"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--target must be one of http, kafka, jsonl; got \"smtp\"")
                .contains("--invalid-share must be a number from 0.0 to 1.0; got \"2\"")
                .contains("--duration must be a positive duration")
                .contains("--quiet must be true or false; got \"yes\"");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("configuration:");
    }

    @Test
    void theEffectiveConfigurationIsPrintedFirstWithPasswordsMasked() throws Exception {
        Path file = dir.resolve("keys.txt");
        assertThat(
                        run(
                                "keys",
                                "--out",
                                file.toString(),
                                "--partners",
                                "2",
                                "--key-secret",
                                "hunter2"))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("configuration:\n")
                .doesNotContain("hunter2")
                .contains("--key-secret            ***  (given)")
                .contains("--partners              2  (given)")
                .contains("--zipf                  1.1\n");
    }
}
