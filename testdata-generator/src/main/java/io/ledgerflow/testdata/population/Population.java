package io.ledgerflow.testdata.population;

import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.schemas.money.MinorUnits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Partners, their accounts and the accounts' opening deposits, drawn from the settings' seed. Each
 * partner uses one currency (a third of them a second one); its accounts are spread over its
 * currencies so that every (partner, currency) group has at least two accounts when the partner has
 * at least two, which transfers need.
 */
public final class Population {

    /** The ingest API's development partners and keys (ingest-api/README.md). */
    static final List<Partner> DEV_PARTNERS =
            List.of(
                    new Partner("dev-partner", "dev-partner-key"),
                    new Partner("dev-partner-2", "dev-partner-2-key"));

    private final GeneratorSettings settings;
    private final List<Partner> partners;
    private final List<Account> accounts;
    private final List<List<Account>> groups;
    private final Map<String, Partner> partnersById;

    private Population(
            GeneratorSettings settings,
            List<Partner> partners,
            List<Account> accounts,
            List<List<Account>> groups) {
        this.settings = settings;
        this.partners = List.copyOf(partners);
        this.accounts = List.copyOf(accounts);
        this.groups = groups.stream().map(List::copyOf).toList();
        this.partnersById =
                partners.stream().collect(Collectors.toMap(Partner::id, Function.identity()));
    }

    /** The population of these settings: same settings, same population. */
    public static Population generate(GeneratorSettings settings) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        LogNormalAmounts deposits = new LogNormalAmounts(settings.depositMedianMajor() * 100, 0.8);
        List<Partner> partners = new ArrayList<>();
        List<Account> accounts = new ArrayList<>();
        List<List<Account>> groups = new ArrayList<>();
        // Settlement accounts' deposits from numbers of their own: with or without them, the other
        // accounts are the same.
        SplittableRandom settlementRandom = new SplittableRandom(~settings.seed());
        for (int p = 0; p < settings.partners(); p++) {
            Partner partner =
                    settings.devKeys()
                            ? DEV_PARTNERS.get(p)
                            : new Partner(
                                    String.format(Locale.ROOT, "gen-p%04d", p + 1),
                                    apiKey(settings.keySecret(), p + 1));
            partners.add(partner);
            List<String> currencies = partnerCurrencies(settings, random);
            List<List<Account>> partnerGroups = new ArrayList<>();
            for (int c = 0; c < currencies.size(); c++) {
                partnerGroups.add(new ArrayList<>());
            }
            for (int a = 0; a < settings.accountsPerPartner(); a++) {
                int c = a % currencies.size();
                String currency = currencies.get(c);
                String id =
                        String.format(
                                Locale.ROOT, "%s-p%04d-a%03d", settings.namespace(), p + 1, a + 1);
                AccountType type =
                        random.nextDouble() < 0.2 ? AccountType.BUSINESS : AccountType.CUSTOMER;
                long deposit = toCurrency(deposits.draw(random), currency);
                Account account = new Account(id, partner.id(), currency, type, -1, deposit);
                partnerGroups.get(c).add(account);
            }
            if (settings.settlementAccounts()) {
                // The partner's own account per currency, where customers' money reaches it.
                for (int c = 0; c < currencies.size(); c++) {
                    String currency = currencies.get(c);
                    String id = settlementAccountId(settings.namespace(), p + 1, currency);
                    long deposit = toCurrency(deposits.draw(settlementRandom), currency);
                    partnerGroups
                            .get(c)
                            .add(
                                    new Account(
                                            id,
                                            partner.id(),
                                            currency,
                                            AccountType.SETTLEMENT,
                                            -1,
                                            deposit));
                }
            }
            for (List<Account> group : partnerGroups) {
                int index = groups.size();
                List<Account> numbered = new ArrayList<>();
                for (Account a : group) {
                    Account withGroup =
                            new Account(
                                    a.id(),
                                    a.partnerId(),
                                    a.currency(),
                                    a.type(),
                                    index,
                                    a.openingDepositMinor());
                    numbered.add(withGroup);
                    accounts.add(withGroup);
                }
                groups.add(numbered);
            }
        }
        return new Population(settings, partners, accounts, groups);
    }

    /** A partner's settlement account in a currency: {@code <namespace>-p0001-settlement-eur}. */
    static String settlementAccountId(String namespace, int partnerNumber, String currency) {
        return String.format(
                Locale.ROOT,
                "%s-p%04d-settlement-%s",
                namespace,
                partnerNumber,
                currency.toLowerCase(Locale.ROOT));
    }

    private static List<String> partnerCurrencies(
            GeneratorSettings settings, SplittableRandom random) {
        List<String> all = settings.currencies();
        // Earlier currencies are more common: a Zipf draw over the list.
        ZipfRanks popularity = new ZipfRanks(all.size(), 1.0);
        String first = all.get(popularity.draw(random));
        if (all.size() > 1 && settings.accountsPerPartner() >= 4 && random.nextDouble() < 1 / 3.0) {
            List<String> others = new ArrayList<>(all);
            others.remove(first);
            return List.of(first, others.get(random.nextInt(others.size())));
        }
        return List.of(first);
    }

    /**
     * Scales an amount drawn for a two-decimal currency to {@code currency}'s minor units (JPY has
     * none, BHD three), keeping the number of major units.
     */
    static long toCurrency(long twoDecimalMinor, String currency) {
        int exponent = MinorUnits.exponent(currency);
        return Math.max(1, Math.round(twoDecimalMinor * Math.pow(10, exponent - 2)));
    }

    private static String apiKey(String secret, int partnerNumber) {
        return "gen-" + sha256Hex(secret + ":" + partnerNumber).substring(0, 40);
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The ingest API's keys file for this population ({@code partnerId:partner:sha256hex}, see
     * ingest-api/README.md): with it the API authenticates every generated partner.
     */
    public List<String> apiKeysFileLines() {
        List<String> lines = new ArrayList<>();
        lines.add(
                "# Generated by the Ledgerflow test-data generator (seed " + settings.seed() + ")");
        for (Partner p : partners) {
            lines.add(p.id() + ":partner:" + sha256Hex(p.apiKey()));
        }
        return lines;
    }

    /** Every account's OPEN command, in account order. */
    public List<AccountOpening> openings() {
        return accounts.stream()
                .map(a -> new AccountOpening(a.partnerId(), a.id(), a.currency(), a.type()))
                .toList();
    }

    /**
     * Every account's opening deposit; transaction ids are {@code <runId>-open-<n>} so that a new
     * run on the same accounts adds new deposits rather than colliding with the old ones.
     */
    public List<Movement> openingDeposits(String runId) {
        List<Movement> deposits = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
            Account a = accounts.get(i);
            deposits.add(
                    new Movement(
                            runId + "-open-" + (i + 1),
                            a.partnerId(),
                            MovementType.DEPOSIT,
                            null,
                            a.id(),
                            null,
                            a.openingDepositMinor(),
                            a.currency(),
                            settings.simulatedStart(),
                            null,
                            null));
        }
        return deposits;
    }

    public GeneratorSettings settings() {
        return settings;
    }

    public List<Partner> partners() {
        return partners;
    }

    public Partner partner(String id) {
        Partner p = partnersById.get(id);
        if (p == null) {
            throw new IllegalArgumentException("not a partner of this population: " + id);
        }
        return p;
    }

    public List<Account> accounts() {
        return accounts;
    }

    /**
     * The {@code SETTLEMENT} accounts (one per partner and currency), if the settings open them.
     */
    public List<Account> settlementAccounts() {
        return accounts.stream().filter(a -> a.type() == AccountType.SETTLEMENT).toList();
    }

    /** The accounts of one (partner, currency) group. */
    public List<Account> group(int index) {
        return groups.get(index);
    }

    public int groupCount() {
        return groups.size();
    }

    /** Every account id, for scoping checks to this population. */
    public List<String> accountIds() {
        return Collections.unmodifiableList(accounts.stream().map(Account::id).toList());
    }
}
