package io.ledgerflow.testdata.population;

import io.ledgerflow.schemas.money.MinorUnits;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything that shapes a population and its movements. Immutable; {@link #defaults()} are the
 * issue's numbers (1,000 partners) and a realistic retail mix. One seed and one settings object
 * always produce the same population and the same movement stream.
 *
 * @param seed the random seed
 * @param partners number of partners
 * @param accountsPerPartner accounts of each partner (spread over its currencies)
 * @param currencies currencies, most common first (a partner uses one, sometimes two)
 * @param namespace prefix of account ids, so populations of different seeds or runs never share
 *     accounts (default {@code s<seed>})
 * @param devKeys use the ingest API's two development partners and keys (at most 2 partners)
 * @param keySecret secret from which each generated partner's API key is derived
 * @param amountMedianMajor median movement amount in major units (25.00)
 * @param amountSigma standard deviation of the amount's logarithm
 * @param depositMedianMajor median opening deposit in major units
 * @param zipfExponent skew of account activity (0 = uniform)
 * @param invalidShare share of movements that are deliberately invalid
 * @param fraudShare share of movements that belong to injected fraud episodes
 * @param holdShare share of movements that are holds (each later captured or voided)
 * @param depositShare share of top-up deposits
 * @param withdrawalShare share of withdrawals
 * @param refundShare share of refunds of earlier transfers (the rest are transfers)
 * @param simulatedStart null for live event times (the time of acceptance); otherwise the start of
 *     simulated event time, which then follows {@link #profile} at {@link #simulatedRatePerSecond}
 * @param simulatedRatePerSecond daily mean rate of simulated event time
 * @param profile the time-of-day profile of simulated event time
 * @param settlementAccounts also open one {@code SETTLEMENT} account per partner and currency (off
 *     by default): it is one more account of its group, so transfers reach it and leave it like any
 *     other, and the settlement command has postings to settle
 */
public record GeneratorSettings(
        long seed,
        int partners,
        int accountsPerPartner,
        List<String> currencies,
        String namespace,
        boolean devKeys,
        String keySecret,
        double amountMedianMajor,
        double amountSigma,
        double depositMedianMajor,
        double zipfExponent,
        double invalidShare,
        double fraudShare,
        double holdShare,
        double depositShare,
        double withdrawalShare,
        double refundShare,
        Instant simulatedStart,
        double simulatedRatePerSecond,
        TimeOfDayProfile profile,
        boolean settlementAccounts) {

    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_PARTNERS = 1_000;
    public static final int DEFAULT_ACCOUNTS_PER_PARTNER = 5;
    public static final String DEFAULT_KEY_SECRET = "ledgerflow-testdata";

    public GeneratorSettings {
        Objects.requireNonNull(currencies);
        Objects.requireNonNull(profile);
        currencies = currencies.stream().map(String::strip).toList();
        // Fails here, with the code named, rather than deep inside generation.
        currencies.forEach(MinorUnits::exponent);
        if (partners < 1 || accountsPerPartner < 1 || currencies.isEmpty()) {
            throw new IllegalArgumentException("need partners, accounts and currencies");
        }
        if (devKeys && partners > 2) {
            throw new IllegalArgumentException(
                    "the development keys name only 2 partners; use a keys file for more");
        }
        double shares =
                invalidShare
                        + fraudShare
                        + holdShare
                        + depositShare
                        + withdrawalShare
                        + refundShare;
        if (invalidShare < 0
                || fraudShare < 0
                || holdShare < 0
                || depositShare < 0
                || withdrawalShare < 0
                || refundShare < 0
                || shares > 1) {
            throw new IllegalArgumentException("shares must be >= 0 and sum to at most 1");
        }
        if (namespace == null || namespace.isBlank()) {
            namespace = "s" + seed;
        }
    }

    /** The defaults: 1,000 partners, 5 accounts each, EUR/USD/GBP, live event time. */
    public static GeneratorSettings defaults() {
        return new GeneratorSettings(
                DEFAULT_SEED,
                DEFAULT_PARTNERS,
                DEFAULT_ACCOUNTS_PER_PARTNER,
                List.of("EUR", "USD", "GBP"),
                null,
                false,
                DEFAULT_KEY_SECRET,
                25.0,
                1.2,
                5_000.0,
                1.1,
                0.01,
                0.005,
                0.05,
                0.04,
                0.03,
                0.02,
                null,
                10.0,
                TimeOfDayProfile.RETAIL,
                false);
    }

    public GeneratorSettings withSeed(long newSeed) {
        return new Builder(this).seed(newSeed).namespace(null).build();
    }

    public GeneratorSettings withPopulation(int newPartners, int newAccountsPerPartner) {
        return new Builder(this)
                .partners(newPartners)
                .accountsPerPartner(newAccountsPerPartner)
                .build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a few settings of an existing object (the CLI's flags, tests' variations). */
    public static final class Builder {
        private long seed;
        private int partners;
        private int accountsPerPartner;
        private List<String> currencies;
        private String namespace;
        private boolean devKeys;
        private String keySecret;
        private double amountMedianMajor;
        private double amountSigma;
        private double depositMedianMajor;
        private double zipfExponent;
        private double invalidShare;
        private double fraudShare;
        private double holdShare;
        private double depositShare;
        private double withdrawalShare;
        private double refundShare;
        private Instant simulatedStart;
        private double simulatedRatePerSecond;
        private TimeOfDayProfile profile;
        private boolean settlementAccounts;

        Builder(GeneratorSettings s) {
            seed = s.seed;
            partners = s.partners;
            accountsPerPartner = s.accountsPerPartner;
            currencies = s.currencies;
            namespace = s.namespace;
            devKeys = s.devKeys;
            keySecret = s.keySecret;
            amountMedianMajor = s.amountMedianMajor;
            amountSigma = s.amountSigma;
            depositMedianMajor = s.depositMedianMajor;
            zipfExponent = s.zipfExponent;
            invalidShare = s.invalidShare;
            fraudShare = s.fraudShare;
            holdShare = s.holdShare;
            depositShare = s.depositShare;
            withdrawalShare = s.withdrawalShare;
            refundShare = s.refundShare;
            simulatedStart = s.simulatedStart;
            simulatedRatePerSecond = s.simulatedRatePerSecond;
            profile = s.profile;
            settlementAccounts = s.settlementAccounts;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder partners(int v) {
            partners = v;
            return this;
        }

        public Builder accountsPerPartner(int v) {
            accountsPerPartner = v;
            return this;
        }

        public Builder currencies(List<String> v) {
            currencies = v;
            return this;
        }

        public Builder namespace(String v) {
            namespace = v;
            return this;
        }

        public Builder devKeys(boolean v) {
            devKeys = v;
            return this;
        }

        public Builder keySecret(String v) {
            keySecret = v;
            return this;
        }

        public Builder amounts(double medianMajor, double sigma) {
            amountMedianMajor = medianMajor;
            amountSigma = sigma;
            return this;
        }

        public Builder depositMedianMajor(double v) {
            depositMedianMajor = v;
            return this;
        }

        public Builder zipfExponent(double v) {
            zipfExponent = v;
            return this;
        }

        public Builder invalidShare(double v) {
            invalidShare = v;
            return this;
        }

        public Builder fraudShare(double v) {
            fraudShare = v;
            return this;
        }

        public Builder mix(double holds, double deposits, double withdrawals, double refunds) {
            holdShare = holds;
            depositShare = deposits;
            withdrawalShare = withdrawals;
            refundShare = refunds;
            return this;
        }

        public Builder simulatedTime(Instant start, double meanRatePerSecond) {
            simulatedStart = start;
            simulatedRatePerSecond = meanRatePerSecond;
            return this;
        }

        public Builder profile(TimeOfDayProfile v) {
            profile = v;
            return this;
        }

        public Builder settlementAccounts(boolean v) {
            settlementAccounts = v;
            return this;
        }

        public GeneratorSettings build() {
            return new GeneratorSettings(
                    seed,
                    partners,
                    accountsPerPartner,
                    currencies,
                    namespace,
                    devKeys,
                    keySecret,
                    amountMedianMajor,
                    amountSigma,
                    depositMedianMajor,
                    zipfExponent,
                    invalidShare,
                    fraudShare,
                    holdShare,
                    depositShare,
                    withdrawalShare,
                    refundShare,
                    simulatedStart,
                    simulatedRatePerSecond,
                    profile,
                    settlementAccounts);
        }
    }
}
