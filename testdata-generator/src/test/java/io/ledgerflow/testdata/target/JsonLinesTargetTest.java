package io.ledgerflow.testdata.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.testdata.load.GeneratorRun;
import io.ledgerflow.testdata.load.LoadClock;
import io.ledgerflow.testdata.load.LoadPlan;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.FraudPattern;
import io.ledgerflow.testdata.population.GeneratorSettings;
import io.ledgerflow.testdata.population.Invalidity;
import io.ledgerflow.testdata.population.Movement;
import io.ledgerflow.testdata.population.Population;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-lines target, and the JSON and Avro forms every target shares. */
class JsonLinesTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private static Movement transfer(Invalidity invalidity, String currency, long amount) {
        return new Movement(
                "r-1",
                "p",
                MovementType.TRANSFER,
                "a",
                "b",
                null,
                amount,
                currency,
                null,
                invalidity,
                null);
    }

    @Test
    void aWholeRunIsWrittenOneRequestPerLineAndIsReproducible() throws Exception {
        GeneratorSettings settings = GeneratorSettings.defaults().withPopulation(20, 3);
        Path first = dir.resolve("a.jsonl");
        Path second = dir.resolve("b.jsonl");
        for (Path file : List.of(first, second)) {
            try (JsonLinesTarget target = new JsonLinesTarget(file)) {
                GeneratorRun.Result result =
                        new GeneratorRun(
                                        Population.generate(settings),
                                        target,
                                        LoadClock.SYSTEM,
                                        null)
                                .execute(
                                        "r",
                                        LoadPlan.closedLoop(1, 500, null)
                                                .withProgressInterval(null),
                                        Duration.ZERO);
                assertThat(result.load().accepted()).isEqualTo(500);
                assertThat(result.record().accountsOpened()).isEqualTo(60);
            }
        }
        List<String> lines = Files.readAllLines(first);
        assertThat(lines).isEqualTo(Files.readAllLines(second));
        // 60 openings, 60 deposits, 500 movements, then the closers of still-open holds.
        assertThat(lines.size()).isGreaterThanOrEqualTo(620);
        JsonNode open = JSON.readTree(lines.get(0));
        assertThat(open.get("kind").asText()).isEqualTo("account");
        assertThat(open.get("body").get("accountId").asText()).isEqualTo("s42-p0001-a001");
        JsonNode deposit = JSON.readTree(lines.get(60));
        assertThat(deposit.get("body").get("type").asText()).isEqualTo("DEPOSIT");
        assertThat(deposit.get("body").get("transactionId").asText()).isEqualTo("r-open-1");
        JsonNode movement = JSON.readTree(lines.get(120));
        assertThat(movement.get("kind").asText()).isEqualTo("movement");
        assertThat(movement.get("body").get("transactionId").asText()).isEqualTo("r-1");
        assertThat(movement.get("partnerId").asText()).startsWith("gen-p");
    }

    @Test
    void labelsAreInTheLineNeverInTheBody() throws Exception {
        Movement labelled =
                new Movement(
                        "r-9",
                        "p",
                        MovementType.TRANSFER,
                        "a",
                        "b",
                        null,
                        1234,
                        "EUR",
                        null,
                        null,
                        FraudPattern.VELOCITY_BURST);
        JsonNode line = JSON.readTree(JsonLinesTarget.line(labelled));
        assertThat(line.get("fraud").asText()).isEqualTo("VELOCITY_BURST");
        assertThat(line.has("invalid")).isFalse();
        assertThat(line.get("body").toString()).doesNotContain("VELOCITY");
        assertThat(line.get("body").get("amount").asText()).isEqualTo("12.34");
    }

    @Test
    void invalidMovementsAreBrokenAsTheirKindSays() {
        assertThat(
                        RequestJson.movement(transfer(Invalidity.NEGATIVE_AMOUNT, "EUR", 1234))
                                .get("amount")
                                .asText())
                .isEqualTo("-12.34");
        assertThat(
                        RequestJson.movement(transfer(Invalidity.EXCESS_PRECISION, "EUR", 1234))
                                .get("amount")
                                .asText())
                .isEqualTo("12.341");
        assertThat(
                        RequestJson.movement(transfer(Invalidity.EXCESS_PRECISION, "JPY", 1234))
                                .get("amount")
                                .asText())
                .isEqualTo("1234.1");
        assertThat(
                        RequestJson.movement(transfer(Invalidity.UNKNOWN_CURRENCY, "EUR", 1))
                                .get("currency")
                                .asText())
                .isEqualTo("XXX");
    }

    @Test
    void voidHasNoAmountAndSimulatedTimeIsSent() {
        Movement voiding =
                new Movement(
                        "r-2",
                        "p",
                        MovementType.VOID,
                        "a",
                        null,
                        "r-1",
                        0,
                        "USD",
                        Instant.parse("2026-11-20T10:15:30Z"),
                        null,
                        null);
        JsonNode body = RequestJson.movement(voiding);
        assertThat(body.has("amount")).isFalse();
        assertThat(body.has("destinationAccountId")).isFalse();
        assertThat(body.get("relatedTransactionId").asText()).isEqualTo("r-1");
        assertThat(body.get("eventTime").asText()).isEqualTo("2026-11-20T10:15:30Z");
    }

    @Test
    void avroFormsAreWhatTheApiWouldHaveWritten() {
        Instant now = Instant.parse("2026-11-21T08:00:00Z");
        LedgerRequest open =
                LedgerRequests.of(new AccountOpening("p", "acc", "EUR", AccountType.BUSINESS), now);
        AccountCommand command = (AccountCommand) open.getRequest();
        assertThat(command.getCommandId()).isEqualTo("open-acc");
        assertThat(command.getAccountType()).isEqualTo(AccountType.BUSINESS);
        MoneyMovement valid =
                (MoneyMovement) LedgerRequests.of(transfer(null, "EUR", 1234), now).getRequest();
        assertThat(valid.getAmountMinor()).isEqualTo(1234);
        assertThat(valid.getEventTime()).isEqualTo(now);
        assertThat(valid.getPartnerId()).isEqualTo("p");
        MoneyMovement negative =
                (MoneyMovement)
                        LedgerRequests.of(transfer(Invalidity.NEGATIVE_AMOUNT, "EUR", 1234), now)
                                .getRequest();
        assertThat(negative.getAmountMinor()).isEqualTo(-1234);
        MoneyMovement unknown =
                (MoneyMovement)
                        LedgerRequests.of(transfer(Invalidity.UNKNOWN_CURRENCY, "EUR", 1234), now)
                                .getRequest();
        assertThat(unknown.getCurrency()).isEqualTo("XXX");
    }
}
