package io.ledgerflow.jobs.testutils;

import io.ledgerflow.avro.AccountCommand;
import io.ledgerflow.avro.AccountCommandType;
import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A reproducible random stream of ledger requests with hot accounts (Zipf), every movement type,
 * and the awkward cases: insufficient funds, other currencies, unknown and foreign accounts, frozen
 * accounts, captures of expired holds, over-refunds, malformed movements, exact resubmissions and
 * conflicting reuse of ids.
 */
public final class LedgerWorkload {

    public static final String PARTNER = "p1";
    public static final String OTHER_PARTNER = "p2";

    /** Account opens and opening deposits, to be applied before {@link #movements}. */
    public final List<LedgerRequest> setup = new ArrayList<>();

    public final List<LedgerRequest> movements = new ArrayList<>();

    /** Transaction ids that must each end with exactly one terminal result. */
    public final Set<String> transactionIds = new LinkedHashSet<>();

    public final Map<String, Long> overdraftLimits = new HashMap<>();

    /** Ids resubmitted with a different payload: each must be a dead letter, not a result. */
    public final Set<String> conflictingIds = new LinkedHashSet<>();

    private final Random random;
    private final String[] accounts;
    private final Map<String, String> currencyOf = new HashMap<>();
    private final double[] zipfCumulative;
    private final List<MoneyMovement> holds = new ArrayList<>();
    private final List<MoneyMovement> transfers = new ArrayList<>();
    private final List<MoneyMovement> sent = new ArrayList<>();
    private final Map<Integer, String> pendingUnfreezes = new HashMap<>();
    private long nextId;
    private long clock = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();

    private LedgerWorkload(long seed, int accountCount) {
        random = new Random(seed);
        accounts = new String[accountCount];
        zipfCumulative = new double[accountCount];
        double sum = 0;
        for (int i = 0; i < accountCount; i++) {
            accounts[i] = "acc-" + i;
            sum += 1.0 / Math.pow(i + 1, 1.1);
            zipfCumulative[i] = sum;
        }
        for (int i = 0; i < accountCount; i++) {
            zipfCumulative[i] /= sum;
        }
    }

    /**
     * An empty workload for a test that writes its own requests: it fills {@link #setup}, {@link
     * #movements}, {@link #transactionIds} and {@link #overdraftLimits} (the limits accounts are
     * opened with; {@link LedgerOutcome} follows later changes through the account states).
     */
    public static LedgerWorkload scripted() {
        return new LedgerWorkload(0, 0);
    }

    public static LedgerWorkload generate(long seed, int accountCount, int movementCount) {
        LedgerWorkload w = new LedgerWorkload(seed, accountCount);
        w.openAccounts();
        while (w.movements.size() < movementCount) {
            w.nextMovement();
        }
        return w;
    }

    /** Hot accounts move more money, so they start with more: about 50M minor units / rank. */
    private long openingDeposit(int rank) {
        return 100_000 + 50_000_000L / (rank + 1) + random.nextInt(900_000);
    }

    private void openAccounts() {
        int rank = 0;
        for (String account : accounts) {
            String currency = random.nextInt(30) == 0 ? "USD" : "EUR";
            long overdraft = random.nextInt(5) == 0 ? 5_000 : 0;
            currencyOf.put(account, currency);
            overdraftLimits.put(account, overdraft);
            setup.add(open(PARTNER, account, currency, overdraft));
            MoneyMovement deposit =
                    movement(MovementType.DEPOSIT, openingDeposit(rank++), currency)
                            .setDestinationAccountId(account)
                            .build();
            setup.add(record(deposit));
        }
        // Accounts of another partner: the workload's partner must never reach them.
        for (int i = 0; i < 2; i++) {
            String foreign = "foreign-" + i;
            overdraftLimits.put(foreign, 0L);
            setup.add(open(OTHER_PARTNER, foreign, "EUR", 0));
        }
    }

    private void nextMovement() {
        int dice = random.nextInt(1000);
        if (dice < 520) {
            String from = hot();
            String to = hot();
            transfer(from, to.equals(from) ? accounts[random.nextInt(accounts.length)] : to);
        } else if (dice < 600) {
            String to = hot();
            add(
                    movement(MovementType.DEPOSIT, amount(), currencyOf.get(to))
                            .setDestinationAccountId(to)
                            .build());
        } else if (dice < 680) {
            String from = hot();
            add(
                    movement(MovementType.WITHDRAWAL, amount(), currencyOf.get(from))
                            .setSourceAccountId(from)
                            .build());
        } else if (dice < 780) {
            String from = hot();
            MoneyMovement hold =
                    movement(MovementType.HOLD, amount(), currencyOf.get(from))
                            .setSourceAccountId(from)
                            .setDestinationAccountId(hot())
                            .build();
            holds.add(hold);
            add(hold);
        } else if (dice < 860 && !holds.isEmpty()) {
            MoneyMovement hold = holds.get(random.nextInt(holds.size()));
            long amount =
                    random.nextInt(10) == 0
                            ? hold.getAmountMinor() + 1
                            : 1
                                    + random.nextInt(
                                            (int)
                                                    Math.min(
                                                            hold.getAmountMinor(),
                                                            Integer.MAX_VALUE));
            add(
                    movement(MovementType.CAPTURE, amount, hold.getCurrency())
                            .setSourceAccountId(hold.getSourceAccountId())
                            .setRelatedTransactionId(hold.getTransactionId())
                            .build());
        } else if (dice < 900 && !holds.isEmpty()) {
            MoneyMovement hold = holds.get(random.nextInt(holds.size()));
            add(
                    movement(MovementType.VOID, 0, hold.getCurrency())
                            .setSourceAccountId(hold.getSourceAccountId())
                            .setRelatedTransactionId(hold.getTransactionId())
                            .build());
        } else if (dice < 940 && !transfers.isEmpty()) {
            MoneyMovement original = transfers.get(random.nextInt(transfers.size()));
            long amount =
                    1
                            + random.nextInt(
                                    (int) Math.min(original.getAmountMinor(), Integer.MAX_VALUE));
            add(
                    movement(MovementType.REFUND, amount, original.getCurrency())
                            .setSourceAccountId(original.getDestinationAccountId())
                            .setDestinationAccountId(original.getSourceAccountId())
                            .setRelatedTransactionId(original.getTransactionId())
                            .build());
        } else if (dice < 955) {
            // Malformed: rejected by the gate before any account sees it.
            String a = hot();
            add(
                    movement(
                                    MovementType.TRANSFER,
                                    random.nextBoolean() ? 0 : 100,
                                    currencyOf.get(a))
                            .setSourceAccountId(a)
                            .setDestinationAccountId(random.nextBoolean() ? a : null)
                            .build());
        } else if (dice < 965) {
            // Unknown or foreign accounts on either side.
            String a = hot();
            String other =
                    random.nextBoolean()
                            ? "unknown-" + random.nextInt(5)
                            : "foreign-" + random.nextInt(2);
            if (random.nextBoolean()) {
                transfer(a, other);
            } else {
                transfer(other, a);
            }
        } else if (dice < 968) {
            // A short freeze: some movements later the account is unfrozen again.
            String a = hot();
            movements.add(command(PARTNER, a, AccountCommandType.FREEZE));
            pendingUnfreezes.put(movements.size() + 5 + random.nextInt(15), a);
        } else if (dice < 990 && !sent.isEmpty()) {
            // Exact resubmission: dropped by the gate, no second result.
            movements.add(new LedgerRequest(sent.get(random.nextInt(sent.size()))));
        } else if (!sent.isEmpty()) {
            // Same id, different payload: a dead letter, the original stands.
            MoneyMovement original = sent.get(random.nextInt(sent.size()));
            if (!conflictingIds.contains(original.getTransactionId())) {
                conflictingIds.add(original.getTransactionId());
                movements.add(
                        new LedgerRequest(
                                MoneyMovement.newBuilder(original)
                                        .setAmountMinor(original.getAmountMinor() + 1)
                                        .build()));
            }
        }
        var due = pendingUnfreezes.entrySet().iterator();
        while (due.hasNext()) {
            var entry = due.next();
            if (entry.getKey() <= movements.size()) {
                movements.add(command(PARTNER, entry.getValue(), AccountCommandType.UNFREEZE));
                due.remove();
            }
        }
    }

    private void transfer(String from, String to) {
        String currency = currencyOf.getOrDefault(from, "EUR");
        MoneyMovement transfer =
                movement(MovementType.TRANSFER, amount(), currency)
                        .setSourceAccountId(from)
                        .setDestinationAccountId(to)
                        .build();
        if (!from.equals(to)) {
            transfers.add(transfer);
        }
        add(transfer);
    }

    private void add(MoneyMovement m) {
        sent.add(m);
        movements.add(record(m));
    }

    private LedgerRequest record(MoneyMovement m) {
        transactionIds.add(m.getTransactionId());
        return new LedgerRequest(m);
    }

    private String hot() {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(zipfCumulative, u);
        return accounts[Math.min(i >= 0 ? i : -i - 1, accounts.length - 1)];
    }

    /** Log-normal amounts: mostly tens of currency units, now and then thousands. */
    private long amount() {
        double value = Math.exp(7 + 1.4 * random.nextGaussian());
        return Math.max(1, Math.min(2_000_000, Math.round(value)));
    }

    private MoneyMovement.Builder movement(MovementType type, long amount, String currency) {
        clock += random.nextInt(20);
        String partner = PARTNER;
        return MoneyMovement.newBuilder()
                .setTransactionId("tx-" + (nextId++))
                .setPartnerId(partner)
                .setType(type)
                .setAmountMinor(amount)
                .setCurrency(currency)
                .setEventTime(Instant.ofEpochMilli(clock))
                .setReceivedTime(Instant.ofEpochMilli(clock + 1));
    }

    private LedgerRequest open(String partner, String account, String currency, long overdraft) {
        return new LedgerRequest(
                AccountCommand.newBuilder()
                        .setCommandId("open-" + account)
                        .setPartnerId(partner)
                        .setAccountId(account)
                        .setType(AccountCommandType.OPEN)
                        .setCurrency(currency)
                        .setAccountType(AccountType.CUSTOMER)
                        .setOverdraftLimitMinor(overdraft)
                        .setEventTime(Instant.ofEpochMilli(clock))
                        .setReceivedTime(Instant.ofEpochMilli(clock))
                        .build());
    }

    private LedgerRequest command(String partner, String account, AccountCommandType type) {
        return new LedgerRequest(
                AccountCommand.newBuilder()
                        .setCommandId("cmd-" + (nextId++))
                        .setPartnerId(partner)
                        .setAccountId(account)
                        .setType(type)
                        .setEventTime(Instant.ofEpochMilli(clock))
                        .setReceivedTime(Instant.ofEpochMilli(clock))
                        .build());
    }
}
