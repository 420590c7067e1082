package io.ledgerflow.testdata.population;

import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.MovementType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The endless, seed-reproducible stream of a population's movements: mostly transfers inside a
 * (partner, currency) group, plus holds (each captured or voided a few movements later), top-up
 * deposits, withdrawals, refunds of recent transfers, deliberately invalid requests and injected
 * fraud episodes. Which account acts is Zipf-distributed over a seeded permutation of all accounts,
 * so hot accounts exist and are spread over partners. Amounts are log-normal.
 *
 * <p>Transaction ids are {@code <runId>-<n>}, n = 1, 2, ... in stream order. Not thread-safe: one
 * consumer draws from it.
 */
public final class MovementStream implements Iterator<Movement> {

    /** Mean number of movements of one fraud episode, to turn the fraud share into a start rate. */
    private static final double MEAN_EPISODE_LENGTH = 6.0;

    private static final int RECENT_TRANSFERS = 256;
    private static final long STRUCTURING_THRESHOLD_MINOR = 10_000_00L;

    private final Population population;
    private final GeneratorSettings settings;
    private final String runId;
    private final SplittableRandom random;
    private final ZipfRanks activity;
    private final int[] accountOfRank;
    private final LogNormalAmounts amounts;
    private final Deque<Draft> episode = new ArrayDeque<>();
    private final PriorityQueue<Scheduled> closers = new PriorityQueue<>();
    private final List<RecentTransfer> recentTransfers = new ArrayList<>();
    private Instant eventTime;
    private long sequence;
    private long scheduledCount;

    /** What a movement will be, before it gets its id and event time. */
    private record Draft(
            MovementType type,
            Account source,
            Account destination,
            String related,
            long amountMinor,
            String currency,
            Invalidity invalidity,
            FraudPattern fraud) {

        /** Money from the outside world into {@code to}. */
        static Draft deposit(Account to, long amount, FraudPattern fraud) {
            return new Draft(
                    MovementType.DEPOSIT, null, to, null, amount, to.currency(), null, fraud);
        }

        /** Money from {@code from} to the outside world. */
        static Draft withdrawal(Account from, long amount, FraudPattern fraud) {
            return new Draft(
                    MovementType.WITHDRAWAL,
                    from,
                    null,
                    null,
                    amount,
                    from.currency(),
                    null,
                    fraud);
        }

        /** A TRANSFER or HOLD from one account to a peer of its group. */
        static Draft between(
                MovementType type, Account from, Account to, long amount, FraudPattern fraud) {
            return new Draft(type, from, to, null, amount, from.currency(), null, fraud);
        }
    }

    /** A transfer a later refund may reverse. */
    private record RecentTransfer(String id, Account payer, Account payee, long amountMinor) {}

    /** A hold's capture or void, due once the stream has reached {@code due}. */
    private record Scheduled(long due, long order, Draft draft) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            int byDue = Long.compare(due, o.due);
            return byDue != 0 ? byDue : Long.compare(order, o.order);
        }
    }

    public MovementStream(Population population, String runId) {
        this.population = population;
        this.settings = population.settings();
        this.runId = runId;
        // A different stream of numbers than the population's, from the same seed.
        this.random = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + 1);
        int n = population.accounts().size();
        this.activity = new ZipfRanks(n, settings.zipfExponent());
        this.accountOfRank = shuffledIndexes(n, random);
        this.amounts =
                new LogNormalAmounts(settings.amountMedianMajor() * 100, settings.amountSigma());
        this.eventTime = settings.simulatedStart();
    }

    private static int[] shuffledIndexes(int n, SplittableRandom random) {
        int[] indexes = new int[n];
        for (int i = 0; i < n; i++) {
            indexes[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = indexes[i];
            indexes[i] = indexes[j];
            indexes[j] = t;
        }
        return indexes;
    }

    /** Always true: the stream is endless; the load runner bounds it. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Movement next() {
        Scheduled due = closers.peek();
        if (due != null && due.due() <= sequence) {
            return emit(closers.poll().draft());
        }
        if (!episode.isEmpty()) {
            return emit(episode.poll());
        }
        double u = random.nextDouble();
        if (u < settings.invalidShare()) {
            return emit(invalid());
        }
        if (u < settings.invalidShare() + settings.fraudShare() / MEAN_EPISODE_LENGTH) {
            startEpisode();
            return emit(episode.poll());
        }
        return emit(ordinary());
    }

    /**
     * The captures and voids of holds still open, at once: sent at the end of a run so that no hold
     * stays HELD (not terminal) and the check can demand a terminal status for everything.
     */
    public List<Movement> drainPending() {
        List<Movement> rest = new ArrayList<>();
        while (!episode.isEmpty()) {
            rest.add(emit(episode.poll()));
        }
        while (!closers.isEmpty()) {
            rest.add(emit(closers.poll().draft()));
        }
        return rest;
    }

    /** How many movements the stream has produced so far. */
    public long produced() {
        return sequence;
    }

    private Movement emit(Draft d) {
        sequence++;
        if (eventTime != null) {
            eventTime =
                    settings.profile().next(eventTime, settings.simulatedRatePerSecond(), random);
        }
        Movement m =
                new Movement(
                        runId + "-" + sequence,
                        (d.source() != null ? d.source() : d.destination()).partnerId(),
                        d.type(),
                        d.source() == null ? null : d.source().id(),
                        d.destination() == null ? null : d.destination().id(),
                        d.related(),
                        d.amountMinor(),
                        d.currency(),
                        eventTime,
                        d.invalidity(),
                        d.fraud());
        if (m.invalidity() == null) {
            afterEmit(m, d);
        }
        return m;
    }

    private void afterEmit(Movement m, Draft d) {
        if (m.type() == MovementType.TRANSFER) {
            RecentTransfer t =
                    new RecentTransfer(
                            m.transactionId(), d.source(), d.destination(), m.amountMinor());
            if (recentTransfers.size() < RECENT_TRANSFERS) {
                recentTransfers.add(t);
            } else {
                recentTransfers.set(random.nextInt(RECENT_TRANSFERS), t);
            }
        } else if (m.type() == MovementType.HOLD) {
            // Captured (70%, all or part) or voided a little later, never left to expire: the
            // default expiry is days, far beyond a run. At least 20 movements later: the ledger
            // re-partitions requests by transaction id before keying them by account, so a
            // capture sent right behind its hold can overtake it (and is then refused as
            // RELATED_TRANSACTION_NOT_FOUND, stranding the hold until it expires).
            long due = sequence + 20 + random.nextInt(100);
            Draft closer =
                    random.nextDouble() < 0.7
                            ? new Draft(
                                    MovementType.CAPTURE,
                                    d.source(),
                                    null,
                                    m.transactionId(),
                                    Math.max(
                                            1,
                                            Math.round(
                                                    m.amountMinor()
                                                            * (0.5 + random.nextDouble() / 2))),
                                    m.currency(),
                                    null,
                                    d.fraud())
                            : new Draft(
                                    MovementType.VOID,
                                    d.source(),
                                    null,
                                    m.transactionId(),
                                    0,
                                    m.currency(),
                                    null,
                                    d.fraud());
            closers.add(new Scheduled(due, scheduledCount++, closer));
        }
    }

    private Draft ordinary() {
        Account source = hotAccount();
        List<Account> group = population.group(source.group());
        double v = random.nextDouble();
        double holds = settings.holdShare();
        double deposits = holds + settings.depositShare();
        double withdrawals = deposits + settings.withdrawalShare();
        double refunds = withdrawals + settings.refundShare();
        long amount = Population.toCurrency(amounts.draw(random), source.currency());
        if (source.type() == AccountType.SETTLEMENT && group.size() >= 2) {
            // A partner's settlement account only receives (customers pay into it); only the
            // settlement command takes money out, so a payout is never short of what its period
            // brought. Refunds of what it received still leave from it.
            return Draft.between(MovementType.TRANSFER, peer(source, group), source, amount, null);
        }
        if (v >= holds && v < deposits || group.size() < 2 && v >= refunds) {
            return Draft.deposit(source, amount * 4, null);
        }
        if (v >= deposits && v < withdrawals) {
            return Draft.withdrawal(source, amount, null);
        }
        if (v >= withdrawals && v < refunds && !recentTransfers.isEmpty()) {
            RecentTransfer original = recentTransfers.get(random.nextInt(recentTransfers.size()));
            long refund =
                    random.nextBoolean()
                            ? original.amountMinor()
                            : Math.max(1, original.amountMinor() / 2);
            return new Draft(
                    MovementType.REFUND,
                    original.payee(),
                    original.payer(),
                    original.id(),
                    refund,
                    original.payer().currency(),
                    null,
                    null);
        }
        if (group.size() < 2) {
            return Draft.deposit(source, amount, null);
        }
        Account destination = peer(source, group);
        MovementType type = v < holds ? MovementType.HOLD : MovementType.TRANSFER;
        return Draft.between(type, source, destination, amount, null);
    }

    private Draft invalid() {
        Invalidity[] kinds = Invalidity.values();
        Invalidity kind = kinds[random.nextInt(kinds.length)];
        Account source = hotAccount();
        List<Account> group = population.group(source.group());
        Account destination =
                group.size() < 2 || kind == Invalidity.SAME_ACCOUNT ? source : peer(source, group);
        long amount = Population.toCurrency(amounts.draw(random), source.currency());
        return new Draft(
                MovementType.TRANSFER,
                kind == Invalidity.MISSING_SOURCE ? null : source,
                destination,
                null,
                amount,
                source.currency(),
                kind,
                null);
    }

    private void startEpisode() {
        FraudPattern[] patterns = FraudPattern.values();
        FraudPattern pattern = patterns[random.nextInt(patterns.length)];
        // Fraud hits ordinary, quiet accounts more than the hot ones: drawn uniformly.
        Account victim = population.accounts().get(random.nextInt(population.accounts().size()));
        List<Account> group = population.group(victim.group());
        if (victim.type() == AccountType.SETTLEMENT && group.size() >= 2) {
            victim = peer(victim, group); // settlement accounts only receive (see ordinary())
        }
        String currency = victim.currency();
        switch (pattern) {
            case VELOCITY_BURST -> {
                int n = 8 + random.nextInt(8);
                for (int i = 0; i < n; i++) {
                    long small = Population.toCurrency(100 + random.nextInt(900), currency);
                    episode.add(transferOrDeposit(victim, group, small, pattern));
                }
            }
            case STRUCTURING -> {
                long threshold = Population.toCurrency(STRUCTURING_THRESHOLD_MINOR, currency);
                episode.add(Draft.deposit(victim, threshold * 5, pattern));
                int n = 3 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    long below = threshold - 1 - random.nextInt((int) Math.max(1, threshold / 20));
                    episode.add(Draft.withdrawal(victim, below, pattern));
                }
            }
            case FAN_OUT -> {
                long each = Population.toCurrency(50_000 + random.nextInt(100_000), currency);
                episode.add(Draft.deposit(victim, each * group.size(), pattern));
                for (Account other : group) {
                    if (!other.id().equals(victim.id())) {
                        episode.add(
                                Draft.between(MovementType.TRANSFER, victim, other, each, pattern));
                    }
                }
            }
            case LARGE_OUTLIER -> {
                long large = Population.toCurrency(amounts.draw(random), currency) * 100;
                episode.add(transferOrDeposit(victim, group, large, pattern));
            }
        }
    }

    private Draft transferOrDeposit(
            Account source, List<Account> group, long amount, FraudPattern pattern) {
        if (group.size() < 2) {
            return Draft.deposit(source, amount, pattern);
        }
        return Draft.between(MovementType.TRANSFER, source, peer(source, group), amount, pattern);
    }

    private Account hotAccount() {
        return population.accounts().get(accountOfRank[activity.draw(random)]);
    }

    private Account peer(Account source, List<Account> group) {
        Account other;
        do {
            other = group.get(random.nextInt(group.size()));
        } while (other.id().equals(source.id()));
        return other;
    }
}
