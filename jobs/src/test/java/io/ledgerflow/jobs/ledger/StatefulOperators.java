package io.ledgerflow.jobs.ledger;

import io.ledgerflow.avro.FraudAlert;
import io.ledgerflow.avro.FraudRule;
import io.ledgerflow.avro.LedgerInstruction;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.TransactionResult;
import io.ledgerflow.jobs.fraud.AlertWindowSettings;
import io.ledgerflow.jobs.fraud.FraudAlertWindows;
import io.ledgerflow.jobs.fraud.FraudScreen;
import io.ledgerflow.jobs.fraud.FraudScreenSettings;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The ledger job's stateful operators in test harnesses, keyed as the job keys them, set up and not
 * yet opened (restore a snapshot first with {@code initializeState}, or open them as they are).
 */
final class StatefulOperators {

    private StatefulOperators() {}

    /** uid {@code fraud-alert-windows}, with the default alert windows. */
    static KeyedOneInputStreamOperatorTestHarness<String, FraudAlert, FraudAlert> alertWindows()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FraudAlertWindows(AlertWindowSettings.DEFAULTS)),
                FraudAlert::getAccountId,
                Types.STRING);
    }

    /** uid {@code idempotency-gate}, ids kept for a week. */
    static KeyedOneInputStreamOperatorTestHarness<String, IdClaim, GateAnswer> gate()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new IdempotencyGate(Duration.ofDays(7))),
                IdClaim::getGateKey,
                Types.STRING);
    }

    /** uid {@code fraud-screen}, with the screen's default settings and the rules broadcast. */
    static KeyedBroadcastOperatorTestHarness<String, ScreenInput, FraudRule, LedgerRequest>
            admissionAndScreen() throws Exception {
        KeyedBroadcastOperatorTestHarness<String, ScreenInput, FraudRule, LedgerRequest> harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new AdmissionAndScreen(
                                        FraudScreenSettings.defaults(),
                                        "test-job",
                                        "ledger.fraud-rules",
                                        "ledger.requests"),
                                List.of(FraudScreen.RULES)),
                        ScreenInput::getAccountId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setup();
        return harness;
    }

    /** uid {@code ledger}: holds expire after a week, refunds within 90 days, two shards. */
    static KeyedTwoInputStreamOperatorTestHarness<
                    String, LedgerRequest, LedgerInstruction, TransactionResult>
            ledger() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(
                        new LedgerFunction(
                                Duration.ofDays(7), Duration.ofDays(90), Duration.ofDays(1), 2)),
                LedgerRouting::accountOf,
                LedgerInstruction::getAccountId,
                Types.STRING);
    }
}
