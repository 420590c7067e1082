package io.ledgerflow.audit;

import io.ledgerflow.avro.LedgerEntry;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.KafkaSettings;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.config.RegistrySettings;
import io.ledgerflow.schemas.config.Secret;
import io.ledgerflow.schemas.config.Settings;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code verify-chain}: verifies the hash chains of one account, or of every account of a partner,
 * from the read model (PostgreSQL) or from the ledger's entries topic (Kafka), and prints the first
 * break of each broken account with the entry that breaks it. Exit status: 0 every chain holds, 1 a
 * chain is broken, 2 usage or connection error.
 */
public final class VerifyChainMain {

    static final String USAGE =
            """
            usage: audit/verify-chain.sh (--account ID | --partner ID) [--source postgres|kafka]
                   [--trust-first]
              --source postgres   the read model (default): --postgres-url, --postgres-user,
                                  --postgres-password (or --postgres-password-file, or
                                  LEDGERFLOW_POSTGRES_PASSWORD)
              --source kafka      the ledger's entries topic, committed records: --bootstrap-servers,
                                  --schema-registry-url, --topic-prefix
              --trust-first       start each chain at its first entry found, not at #1 (months
                                  dropped by retention); that entry's own hash is still checked
            exit status: 0 intact, 1 broken, 2 usage or connection error
            """;

    /** How many breaks are printed in full; the rest are counted. */
    static final int PRINTED_BREAKS = 20;

    private VerifyChainMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** The command, with its streams and environment given: what the tests call. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of(args).contains("--help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Settings s;
        Scope scope;
        Source source;
        boolean trustFirst;
        try {
            s = Settings.fromArgs(args, env);
            String account = s.optional("account").orElse(null);
            String partner = s.optional("partner").orElse(null);
            if ((account == null) == (partner == null)) {
                s.problem("give exactly one of --account and --partner");
            }
            scope = account != null ? Scope.account(account) : Scope.partner(partner);
            trustFirst = s.bool("trust-first", false);
            source = source(s);
            s.check();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        HashChainVerifier verifier = new HashChainVerifier(trustFirst);
        out.println("verifying the hash chains of " + scope + " from " + source.name() + " ...");
        Consumer<LedgerEntry> check =
                e -> {
                    ChainBreak b = verifier.accept(e);
                    if (b != null && verifier.breaks().size() <= PRINTED_BREAKS) {
                        out.println(b.describe());
                    }
                };
        try {
            source.read(scope, check);
        } catch (Exception e) {
            err.println("could not read the entries from " + source.name() + ": " + e);
            return 2;
        }
        List<ChainBreak> breaks = verifier.breaks();
        if (verifier.entries() == 0) {
            out.println("no entries found for " + scope);
        }
        out.printf(
                "%d entries of %d accounts read; %d broken chains%n",
                verifier.entries(), verifier.accounts(), breaks.size());
        out.println(breaks.isEmpty() ? "INTACT" : "BROKEN");
        return breaks.isEmpty() ? 0 : 1;
    }

    /** Where the entries come from, as the settings say. */
    private interface Source {
        String name();

        void read(Scope scope, Consumer<LedgerEntry> sink) throws Exception;
    }

    private static Source source(Settings s) {
        String kind = s.choice("source", "postgres", "postgres", "kafka");
        if (kind.equals("kafka")) {
            KafkaSettings kafka = KafkaSettings.read(s, "bootstrap-servers", KafkaSettings.LOCAL);
            RegistrySettings registry = RegistrySettings.read(s, RegistrySettings.LOCAL);
            String topic = kafka.topic(Topics.LEDGER_ENTRIES);
            return new Source() {
                @Override
                public String name() {
                    return "Kafka topic " + topic;
                }

                @Override
                public void read(Scope scope, Consumer<LedgerEntry> sink) {
                    new KafkaEntries(
                                    kafka.bootstrapServers(),
                                    topic,
                                    SchemaRegistryClient.forUrl(registry.url()))
                            .forEach(scope, sink);
                }
            };
        }
        PostgresSettings postgres =
                PostgresSettings.read(
                        s,
                        "postgres-",
                        "LEDGERFLOW_POSTGRES_PASSWORD",
                        new PostgresSettings(
                                "jdbc:postgresql://127.0.0.1:5432/ledgerflow",
                                "postgres",
                                Secret.of("postgres")));
        return new Source() {
            @Override
            public String name() {
                return "PostgreSQL " + postgres.url();
            }

            @Override
            public void read(Scope scope, Consumer<LedgerEntry> sink) throws Exception {
                new PostgresEntries(postgres).forEach(scope, sink);
            }
        };
    }
}
