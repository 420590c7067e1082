package io.ledgerflow.jobs.fraud;

import io.ledgerflow.schemas.config.Durations;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a rule's {@code thresholds} map with types and ranges, and remembers which keys were read
 * so that a misspelt key is refused instead of silently ignored. Each rule type reads its own keys;
 * the keys several types share ({@code currency}, {@code window}) are read here.
 */
final class FraudThresholds {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final Map<String, String> values;
    private final Set<String> read = new HashSet<>();

    FraudThresholds(Map<String, String> values) {
        this.values = values;
    }

    /** The optional {@code currency} every rule type takes: null for every currency. */
    String currency() throws InvalidFraudRuleException {
        String currency = optionalText("currency");
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            throw new InvalidFraudRuleException("currency must be an ISO 4217 code: " + currency);
        }
        return currency;
    }

    /** The {@code window} of a windowed rule; its length is checked once the rule is read. */
    Duration window() throws InvalidFraudRuleException {
        return duration("window");
    }

    Duration duration(String key) throws InvalidFraudRuleException {
        String text = required(key);
        try {
            // The same forms as the job's own settings: 10m, 24h, 90d, PT10M.
            Duration d = Durations.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new InvalidFraudRuleException(key + " must be positive, got " + text);
            }
            return d;
        } catch (RuntimeException e) {
            throw new InvalidFraudRuleException(
                    key + " is not a duration (e.g. 10m, 24h, 90d, PT10M): " + text);
        }
    }

    long positiveLong(String key) throws InvalidFraudRuleException {
        String text = required(key);
        return positive(key, text);
    }

    /** Null when absent. */
    Long optionalPositiveLong(String key) throws InvalidFraudRuleException {
        read.add(key);
        String text = values.get(key);
        return text == null ? null : positive(key, text);
    }

    long positiveLong(String key, long fallback) throws InvalidFraudRuleException {
        Long value = optionalPositiveLong(key);
        return value == null ? fallback : value;
    }

    double positiveDouble(String key) throws InvalidFraudRuleException {
        String text = required(key);
        try {
            double d = Double.parseDouble(text.trim());
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidFraudRuleException(key + " must be a positive number, got " + text);
        }
    }

    String optionalText(String key) {
        read.add(key);
        return values.get(key);
    }

    /** Fails on keys the rule type does not know. */
    void refuseUnknownKeys() throws InvalidFraudRuleException {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new InvalidFraudRuleException(
                    "unknown thresholds " + unknown + "; this rule type reads " + read);
        }
    }

    private String required(String key) throws InvalidFraudRuleException {
        read.add(key);
        String text = values.get(key);
        if (text == null || text.isBlank()) {
            throw new InvalidFraudRuleException("missing threshold " + key);
        }
        return text;
    }

    private static long positive(String key, String text) throws InvalidFraudRuleException {
        try {
            long n = Long.parseLong(text.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidFraudRuleException(key + " must be a positive integer, got " + text);
        }
    }
}
