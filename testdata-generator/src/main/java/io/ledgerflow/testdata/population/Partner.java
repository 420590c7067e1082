package io.ledgerflow.testdata.population;

/**
 * A partner of the population and the API key it presents ({@code X-Api-Key}). Generated keys are
 * derived from the key secret, so the API's keys file ({@link Population#apiKeysFileLines()}) and
 * the generator agree without exchanging secrets.
 */
public record Partner(String id, String apiKey) {

    @Override
    public String toString() {
        // Keys stay out of logs and reports.
        return "Partner[" + id + "]";
    }
}
