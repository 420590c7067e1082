package io.ledgerflow.localplatform;

import io.ledgerflow.avro.AccountType;
import io.ledgerflow.localservers.ParentWatch;
import io.ledgerflow.localservers.PostgresServer;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.money.MinorUnits;
import io.ledgerflow.testdata.population.Account;
import io.ledgerflow.testdata.population.AccountOpening;
import io.ledgerflow.testdata.population.Partner;
import io.ledgerflow.testdata.population.Population;
import io.ledgerflow.testdata.target.KafkaTarget;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Settlement on the local platform: the settlement command's jar (the one the Kubernetes CronJob
 * runs) in its own JVM with a pass every minute, and what it needs to have something to settle.
 *
 * <p>In production periods are daily and close 10 minutes after their end; a person trying the
 * platform would wait until tomorrow. Here every generated partner settles hourly, with the hour
 * aligned so that the first period ends {@link #FIRST_CLOSE_LEAD} after the start, and periods
 * close {@link #ALLOWED_LATENESS} after their end: the first batches appear within about five
 * minutes, then every hour. Each partner gets a fee schedule (so fees are not zero) and the
 * platform partner its revenue accounts (so the fees' revenue deposits are not refused).
 */
final class LocalSettlement implements AutoCloseable {

    /** Settlement periods of the local run. */
    static final int PERIOD_HOURS = 1;

    /** How long after its end a local period closes (production: 10 minutes). */
    static final Duration ALLOWED_LATENESS = Duration.ofMinutes(1);

    /** How often the command looks for closed periods. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    /** The first period ends this long (rounded up to a whole minute) after the start. */
    static final Duration FIRST_CLOSE_LEAD = Duration.ofMinutes(3);

    /** The command's default platform partner and revenue accounts' prefix. */
    static final String PLATFORM_PARTNER = "platform";

    static final String REVENUE_ACCOUNT_PREFIX = "platform-revenue-";

    /** The local fee schedule applies to everything the local platform ever posted. */
    static final Instant FEES_FROM = Instant.parse("2020-01-01T00:00:00Z");

    private final Process process;
    private final Instant firstClose;
    private final Path log;

    private LocalSettlement(Process process, Instant firstClose, Path log) {
        this.process = process;
        this.firstClose = firstClose;
        this.log = log;
    }

    /**
     * Opens the platform's revenue accounts, sets every partner's settlement period and fee
     * schedule through the admin API, then starts the command. Call it after the API is ready and
     * before the generator's load, so the period settings apply from the first postings.
     */
    static LocalSettlement start(
            Path dir,
            RunningPlatform platform,
            String adminKey,
            Population population,
            Instant now,
            java.util.function.Consumer<String> say)
            throws IOException, InterruptedException {
        Map<String, Set<String>> currencies = currenciesByPartner(population);
        Set<String> all = new TreeSet<>();
        currencies.values().forEach(all::addAll);
        openRevenueAccounts(platform, all);

        LocalTime cutoff = firstCutoff(now, FIRST_CLOSE_LEAD);
        HttpClient http = HttpClient.newHttpClient();
        String base = platform.api.baseUrl() + "/api/v1/admin/partners/";
        int schedulesAdded = 0;
        for (Partner partner : population.partners()) {
            String partnerUrl = base + partner.id();
            send(
                    http,
                    adminKey,
                    HttpRequest.newBuilder(URI.create(partnerUrl + "/settlement-settings"))
                            .PUT(HttpRequest.BodyPublishers.ofString(settingsBody(cutoff))),
                    200);
            // A schedule version is never edited: a later run on the same data keeps the first.
            String existing =
                    send(
                            http,
                            adminKey,
                            HttpRequest.newBuilder(URI.create(partnerUrl + "/fee-schedules")).GET(),
                            200);
            if (existing.replaceAll("\\s", "").contains("\"items\":[]")) {
                send(
                        http,
                        adminKey,
                        HttpRequest.newBuilder(URI.create(partnerUrl + "/fee-schedules"))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                feeScheduleBody(currencies.get(partner.id())))),
                        201);
                schedulesAdded++;
            }
        }
        say.accept(
                "settlement: "
                        + population.partners().size()
                        + " partners settle hourly at minute "
                        + cutoff.getMinute()
                        + " UTC ("
                        + schedulesAdded
                        + " fee schedules added), "
                        + population.settlementAccounts().size()
                        + " SETTLEMENT accounts, revenue accounts "
                        + REVENUE_ACCOUNT_PREFIX
                        + "<currency> of partner "
                        + PLATFORM_PARTNER);

        Files.createDirectories(dir);
        Path log = dir.resolve("settlement.log");
        ProcessBuilder builder =
                new ProcessBuilder(command(platform))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment()
                .put(ParentWatch.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
        Instant firstClose = firstClose(now, cutoff);
        return new LocalSettlement(builder.start(), firstClose, log);
    }

    /** The command line of the settlement command's JVM: a pass every minute, short lateness. */
    private static List<String> command(RunningPlatform platform) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(String.join(File.pathSeparator, jar().toString(), ownLocation()));
        command.add(ParentWatch.class.getName());
        command.add("io.ledgerflow.settlement.SettlementCommand");
        command.addAll(
                arguments(
                        platform.servers.kafka().bootstrapServers(),
                        platform.servers.schemaRegistry().url(),
                        platform.readModelUrl(),
                        "jdbc:clickhouse://127.0.0.1:" + platform.servers.clickHouse().port()));
        return command;
    }

    /** The command's arguments on the local servers. */
    static List<String> arguments(
            String bootstrap, String registry, String postgresUrl, String clickHouseUrl) {
        return List.of(
                "--interval",
                INTERVAL.toMinutes() + "m",
                "--allowed-lateness",
                ALLOWED_LATENESS.toMinutes() + "m",
                "--bootstrap-servers",
                bootstrap,
                "--schema-registry-url",
                registry,
                "--postgres-url",
                postgresUrl,
                "--postgres-user",
                PostgresServer.USER,
                "--postgres-password",
                PostgresServer.PASSWORD,
                "--clickhouse-url",
                clickHouseUrl,
                "--clickhouse-database",
                RunningPlatform.ANALYTICS_DATABASE,
                "--platform-partner",
                PLATFORM_PARTNER,
                "--revenue-account-prefix",
                REVENUE_ACCOUNT_PREFIX);
    }

    /**
     * The cut-off of the local hourly periods: {@code now + lead} rounded up to a whole minute, in
     * UTC, so the first period ends between {@code lead} and {@code lead} plus a minute from now.
     */
    static LocalTime firstCutoff(Instant now, Duration lead) {
        Instant end = now.plus(lead);
        Instant minute = end.truncatedTo(ChronoUnit.MINUTES);
        if (minute.isBefore(end)) {
            minute = minute.plus(Duration.ofMinutes(1));
        }
        return LocalTime.ofInstant(minute, ZoneOffset.UTC);
    }

    /** When the first local period, the one ending at {@code cutoff} after {@code now}, closes. */
    static Instant firstClose(Instant now, LocalTime cutoff) {
        Instant end =
                now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(cutoff.getMinute()));
        while (!end.isAfter(now)) {
            end = end.plus(Duration.ofHours(PERIOD_HOURS));
        }
        return end.plus(ALLOWED_LATENESS);
    }

    /** {@code PUT .../settlement-settings}: hourly periods aligned on {@code cutoff}, UTC. */
    static String settingsBody(LocalTime cutoff) {
        return String.format(
                Locale.ROOT,
                "{\"cutoffTime\":\"%02d:%02d\",\"timeZone\":\"UTC\",\"periodHours\":%d}",
                cutoff.getHour(),
                cutoff.getMinute(),
                PERIOD_HOURS);
    }

    /**
     * {@code POST .../fee-schedules}: in each of the partner's currencies, 2.9 % plus 0.30 per
     * transfer (at least 0.50, at most 25.00), as a card processor would charge, and 1 % per
     * deposit; amounts in the currency's own minor units (0.30 is 30 minor units in EUR, 30 yen in
     * JPY's none).
     */
    static String feeScheduleBody(Set<String> currencies) {
        StringBuilder rules = new StringBuilder();
        for (String currency : new TreeSet<>(currencies)) {
            if (rules.length() > 0) {
                rules.append(',');
            }
            rules.append(
                    String.format(
                            Locale.ROOT,
                            "{\"movementType\":\"TRANSFER\",\"currency\":\"%s\","
                                    + "\"percentBasisPoints\":290,\"fixed\":\"%s\","
                                    + "\"minimum\":\"%s\",\"maximum\":\"%s\"},"
                                    + "{\"movementType\":\"DEPOSIT\",\"currency\":\"%s\","
                                    + "\"percentBasisPoints\":100,\"fixed\":\"%s\"}",
                            currency,
                            MinorUnits.format(30, currency),
                            MinorUnits.format(50, currency),
                            MinorUnits.format(2_500, currency),
                            currency,
                            MinorUnits.format(0, currency)));
        }
        return "{\"effectiveFrom\":\"" + FEES_FROM + "\",\"rules\":[" + rules + "]}";
    }

    /** Each partner's currencies: those of its accounts. */
    static Map<String, Set<String>> currenciesByPartner(Population population) {
        Map<String, Set<String>> currencies = new TreeMap<>();
        for (Account a : population.accounts()) {
            currencies.computeIfAbsent(a.partnerId(), p -> new TreeSet<>()).add(a.currency());
        }
        return currencies;
    }

    /**
     * The platform partner's revenue account per currency, opened through {@code ledger.requests}
     * as the generator opens accounts (OPEN is idempotent by account: a later run's changes
     * nothing).
     */
    private static void openRevenueAccounts(RunningPlatform platform, Set<String> currencies) {
        try (KafkaTarget ledger =
                new KafkaTarget(
                        platform.servers.kafka().bootstrapServers(),
                        platform.servers.schemaRegistry().url(),
                        Topics.LEDGER_REQUESTS)) {
            for (String currency : currencies) {
                ledger.send(
                                new AccountOpening(
                                        PLATFORM_PARTNER,
                                        REVENUE_ACCOUNT_PREFIX + currency,
                                        currency,
                                        AccountType.BUSINESS))
                        .join();
            }
            ledger.flush();
        }
    }

    private static String send(
            HttpClient http, String adminKey, HttpRequest.Builder request, int expected)
            throws IOException, InterruptedException {
        HttpRequest built =
                request.header("X-Api-Key", adminKey)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .build();
        HttpResponse<String> answer = http.send(built, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != expected) {
            throw new IllegalStateException(
                    built.method()
                            + " "
                            + built.uri()
                            + " answered "
                            + answer.statusCode()
                            + ": "
                            + answer.body());
        }
        return answer.body();
    }

    /** The settlement module's runnable jar, built by {@code ./mvnw package}. */
    private static Path jar() throws IOException {
        Properties where = new Properties();
        try (InputStream in =
                LocalSettlement.class.getResourceAsStream("/local-platform.properties")) {
            where.load(in);
        }
        Path jar = Path.of(where.getProperty("settlement.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    jar + " missing: build with ./mvnw package -DskipTests");
        }
        return jar;
    }

    private static String ownLocation() {
        try {
            return Path.of(
                            ParentWatch.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI())
                    .toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** When the first batches can appear: the first period's end plus the lateness. */
    Instant firstClose() {
        return firstClose;
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
