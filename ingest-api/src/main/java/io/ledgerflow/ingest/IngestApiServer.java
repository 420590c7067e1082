package io.ledgerflow.ingest;

import io.ledgerflow.avro.LedgerRequest;
import io.ledgerflow.avro.MoneyMovement;
import io.ledgerflow.avro.MovementType;
import io.ledgerflow.ingest.admin.AdminEndpoints;
import io.ledgerflow.ingest.admin.PartnerStore;
import io.ledgerflow.ingest.auth.ApiKeys;
import io.ledgerflow.ingest.auth.PartnerDatabase;
import io.ledgerflow.ingest.auth.PartnerDirectory;
import io.ledgerflow.ingest.auth.PostgresPartnerDirectory;
import io.ledgerflow.ingest.history.HistoryCursors;
import io.ledgerflow.ingest.history.HistoryEndpoints;
import io.ledgerflow.ingest.http.HttpFront;
import io.ledgerflow.ingest.http.Route;
import io.ledgerflow.ingest.http.Route.Access;
import io.ledgerflow.ingest.http.Route.BodyKind;
import io.ledgerflow.ingest.http.Router;
import io.ledgerflow.ingest.ledger.AcceptedAccounts;
import io.ledgerflow.ingest.ledger.AcceptedTransactions;
import io.ledgerflow.ingest.ledger.AccountView;
import io.ledgerflow.ingest.ledger.KafkaLedgerRequestPublisher;
import io.ledgerflow.ingest.ledger.LedgerDecisions;
import io.ledgerflow.ingest.ledger.LedgerRequestPublisher;
import io.ledgerflow.ingest.ledger.LedgerSubmissions;
import io.ledgerflow.ingest.ledger.ReadModelAccountView;
import io.ledgerflow.ingest.ledger.ReadModelLookups;
import io.ledgerflow.ingest.ledger.ReadModelStatusView;
import io.ledgerflow.ingest.ledger.TransactionStatusView;
import io.ledgerflow.ingest.limits.ApiInstances;
import io.ledgerflow.ingest.limits.LiveInstances;
import io.ledgerflow.ingest.limits.PartnerLimitOverrides;
import io.ledgerflow.ingest.limits.PartnerLimits;
import io.ledgerflow.ingest.limits.PartnerThrottle;
import io.ledgerflow.ingest.metrics.IngestMetrics;
import io.ledgerflow.ingest.validation.AccountOpeningParser;
import io.ledgerflow.ingest.validation.MovementParser;
import io.ledgerflow.ingest.validation.OverdraftLimitChangeParser;
import io.ledgerflow.ingest.webhooks.EndpointUrls;
import io.ledgerflow.ingest.webhooks.EventStream;
import io.ledgerflow.ingest.webhooks.WebhookEndpoints;
import io.ledgerflow.ingest.webhooks.WebhookStore;
import io.ledgerflow.readmodel.PostgresMigrations;
import io.ledgerflow.readmodel.PostgresReadModel;
import io.ledgerflow.schemas.Topics;
import io.ledgerflow.schemas.config.PostgresSettings;
import io.ledgerflow.schemas.kafka.ConfluentAvroSerializer;
import io.ledgerflow.schemas.registry.SchemaRegistryClient;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The ingest API assembled from its dependencies: which keys are valid (a {@link PartnerDirectory}:
 * the keys file, or partners as data in PostgreSQL with the admin routes), where ledger requests
 * go, how readiness is judged and which clock validates timestamps. Tests build it with real Kafka
 * on a free port; {@link IngestApiMain} builds it from the environment.
 *
 * <p>Threads: one Vert.x event loop per core serves HTTP (parsing, validation, Avro encoding,
 * answers); one sender thread calls the Kafka producer; the producer's I/O thread completes the
 * answers. Nothing on an event loop blocks.
 */
public final class IngestApiServer implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(IngestApiServer.class);

    private final IngestApiConfig config;
    private final Router router;
    private final TransactionEndpoints transactions;
    private final HttpFront front;
    private final IngestMetrics metrics;
    private final Operational operational;
    private final WebhookEndpoints webhooks;
    private final EventStream events;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private Vertx vertx;
    private int port = -1;

    /**
     * The API with in-memory views (what this instance accepted). {@code publisher} and {@code
     * readiness} are closed with the server if they are {@link AutoCloseable}.
     */
    public IngestApiServer(
            IngestApiConfig config,
            PartnerDirectory apiKeys,
            LedgerRequestPublisher publisher,
            Readiness readiness,
            Clock clock,
            IngestMetrics metrics) {
        this(
                config,
                apiKeys,
                publisher,
                readiness,
                clock,
                metrics,
                new AcceptedTransactions(
                        config.idempotencyTtl(), config.idempotencyMaxEntries(), clock),
                new AcceptedAccounts(config.maxAccounts(), clock));
    }

    private IngestApiServer(
            IngestApiConfig config,
            PartnerDirectory apiKeys,
            LedgerRequestPublisher publisher,
            Readiness readiness,
            Clock clock,
            IngestMetrics metrics,
            AcceptedTransactions accepted,
            AcceptedAccounts accounts) {
        this(
                config, apiKeys, publisher, readiness, clock, metrics, accepted, accounts, accepted,
                accounts);
    }

    /**
     * The full seam: {@code statusView} and {@code accountView} are what the GET routes read (the
     * PostgreSQL read model replaces the in-memory ones later); {@code accepted} and {@code
     * accounts} stay the idempotency and ownership memory. Rate limits: the configured defaults for
     * every partner, one instance.
     */
    public IngestApiServer(
            IngestApiConfig config,
            PartnerDirectory apiKeys,
            LedgerRequestPublisher publisher,
            Readiness readiness,
            Clock clock,
            IngestMetrics metrics,
            AcceptedTransactions accepted,
            AcceptedAccounts accounts,
            TransactionStatusView statusView,
            AccountView accountView) {
        this(
                config,
                apiKeys,
                publisher,
                readiness,
                clock,
                metrics,
                accepted,
                accounts,
                statusView,
                accountView,
                new AdminEndpoints(null, clock),
                PartnerLimitOverrides.NONE,
                LiveInstances.ONE);
    }

    /**
     * The full seam: {@code admin} manages partners and keys in the partner database that {@code
     * apiKeys} (then a {@link PostgresPartnerDirectory}) reads, and is closed with the server;
     * {@code overrides} are the partners' own rate limits (the partner directory's), {@code
     * instances} how many API instances share each limit.
     */
    public IngestApiServer(
            IngestApiConfig config,
            PartnerDirectory apiKeys,
            LedgerRequestPublisher publisher,
            Readiness readiness,
            Clock clock,
            IngestMetrics metrics,
            AcceptedTransactions accepted,
            AcceptedAccounts accounts,
            TransactionStatusView statusView,
            AccountView accountView,
            AdminEndpoints admin,
            PartnerLimitOverrides overrides,
            LiveInstances instances) {
        this(
                config,
                apiKeys,
                publisher,
                readiness,
                clock,
                metrics,
                accepted,
                accounts,
                statusView,
                accountView,
                admin,
                overrides,
                instances,
                withoutHistory(config, clock));
    }

    /**
     * The full seam with the history routes ({@code GET /api/v1/transactions}, an account's
     * entries, balance at a time and statement), closed with the server.
     */
    public IngestApiServer(
            IngestApiConfig config,
            PartnerDirectory apiKeys,
            LedgerRequestPublisher publisher,
            Readiness readiness,
            Clock clock,
            IngestMetrics metrics,
            AcceptedTransactions accepted,
            AcceptedAccounts accounts,
            TransactionStatusView statusView,
            AccountView accountView,
            AdminEndpoints admin,
            PartnerLimitOverrides overrides,
            LiveInstances instances,
            HistoryEndpoints history) {
        this(
                config,
                apiKeys,
                publisher,
                readiness,
                clock,
                metrics,
                accepted,
                accounts,
                statusView,
                accountView,
                admin,
                overrides,
                instances,
                history,
                new WebhookEndpoints(
                        null,
                        config.webhooks(),
                        new EndpointUrls(config.webhooks().urlPolicy()),
                        clock,
                        config.retryAfterSeconds()));
    }

    /**
     * The full seam with the webhook routes and the event stream ({@code webhooks} closed with the
     * server; without a store they answer 503).
     */
    public IngestApiServer(
            IngestApiConfig config,
            PartnerDirectory apiKeys,
            LedgerRequestPublisher publisher,
            Readiness readiness,
            Clock clock,
            IngestMetrics metrics,
            AcceptedTransactions accepted,
            AcceptedAccounts accounts,
            TransactionStatusView statusView,
            AccountView accountView,
            AdminEndpoints admin,
            PartnerLimitOverrides overrides,
            LiveInstances instances,
            HistoryEndpoints history,
            WebhookEndpoints webhooks) {
        this.config = config;
        this.webhooks = webhooks;
        this.events =
                new EventStream(
                        webhooks,
                        config.webhooks(),
                        config.eventStreamPoll(),
                        config.maxEventStreams());
        owned.add(events);
        owned.add(webhooks);
        metrics.gauge(
                "ingest_event_streams_open",
                "GET /api/v1/events streams open on this instance.",
                events::open);
        owned.add(admin);
        if (history.resources() != null) {
            owned.add(history.resources());
        }
        this.metrics = metrics;
        owned.add(publisher);
        if (readiness instanceof AutoCloseable closeable) {
            owned.add(closeable);
        }
        metrics.gauge(
                "ingest_idempotency_entries",
                "Transactions held for idempotent replays (bounded, TTL).",
                accepted::size);
        PartnerThrottle throttle =
                PartnerThrottle.of(config.rateLimits(), overrides, instances, metrics);
        this.transactions =
                new TransactionEndpoints(
                        new MovementParser(config.validation(), clock),
                        new LedgerSubmissions(accepted, publisher, clock),
                        statusView,
                        accounts,
                        metrics,
                        config.maxBatchItems(),
                        config.retryAfterSeconds(),
                        throttle);
        AccountEndpoints accountEndpoints =
                new AccountEndpoints(
                        new AccountOpeningParser(config.validation()),
                        new OverdraftLimitChangeParser(config.validation()),
                        accounts,
                        accountView,
                        publisher,
                        metrics,
                        clock,
                        config.retryAfterSeconds());
        this.operational = new Operational(readiness, metrics);
        this.router =
                new Router(
                        routes(
                                transactions,
                                accountEndpoints,
                                history,
                                admin,
                                operational,
                                webhooks,
                                events));
        this.front =
                new HttpFront(
                        router,
                        apiKeys,
                        config.maxBodyBytes(),
                        config.maxBatchBodyBytes(),
                        metrics,
                        throttle);
    }

    /** The history routes of an instance without a read model: each answers 503. */
    private static HistoryEndpoints withoutHistory(IngestApiConfig config, Clock clock) {
        byte[] key =
                IngestApiConfig.ReadModelSettings.DEVELOPMENT_CURSOR_KEY
                        .reveal()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new HistoryEndpoints(
                null, new HistoryCursors(key), clock, config.retryAfterSeconds());
    }

    /** Late-bound: the operational endpoints need the Vert.x instance created at start. */
    private static final class Operational {
        private final Readiness readiness;
        private final IngestMetrics metrics;
        private volatile OperationalEndpoints endpoints;

        Operational(Readiness readiness, IngestMetrics metrics) {
            this.readiness = readiness;
            this.metrics = metrics;
        }

        void bind(Vertx vertx) {
            endpoints = new OperationalEndpoints(vertx, readiness, metrics);
        }
    }

    /** Every route the API serves; the OpenAPI test compares this list with the document. */
    static List<Route> routes(
            TransactionEndpoints tx,
            AccountEndpoints accounts,
            HistoryEndpoints history,
            AdminEndpoints admin,
            Operational operational,
            WebhookEndpoints webhooks,
            EventStream events) {
        String v1 = "/api/v1";
        String hooks = v1 + "/webhooks/endpoints";
        String hook = hooks + "/{endpointId}";
        String partners = v1 + "/admin/partners";
        String partner = partners + "/{partnerId}";
        String key = partner + "/keys/{keyId}";
        String account = v1 + "/accounts/{accountId}";
        String anyAccount = v1 + "/admin/accounts/{accountId}";
        return List.of(
                new Route("POST", hooks, Access.WRITE, BodyKind.JSON, webhooks::create),
                new Route("GET", hooks, Access.READ, BodyKind.NONE, webhooks::list),
                new Route("GET", hook, Access.READ, BodyKind.NONE, webhooks::get),
                new Route("PATCH", hook, Access.WRITE, BodyKind.JSON, webhooks::update),
                new Route("DELETE", hook, Access.WRITE, BodyKind.NONE, webhooks::delete),
                new Route("POST", hook + "/test", Access.WRITE, BodyKind.NONE, webhooks::test),
                new Route(
                        "GET", hook + "/attempts", Access.READ, BodyKind.NONE, webhooks::attempts),
                new Route("POST", hook + "/replay", Access.WRITE, BodyKind.JSON, webhooks::replay),
                new Route("GET", v1 + "/events", Access.READ, BodyKind.NONE, events::events),
                new Route(
                        "GET",
                        partner + "/webhooks/endpoints",
                        Access.ADMIN,
                        BodyKind.NONE,
                        webhooks::anyList),
                new Route(
                        "GET",
                        partner + "/webhooks/endpoints/{endpointId}/attempts",
                        Access.ADMIN,
                        BodyKind.NONE,
                        webhooks::anyAttempts),
                new Route("POST", partners, Access.ADMIN, BodyKind.JSON, admin::createPartner),
                new Route("GET", partners, Access.ADMIN, BodyKind.NONE, admin::listPartners),
                new Route("GET", partner, Access.ADMIN, BodyKind.NONE, admin::getPartner),
                new Route("PATCH", partner, Access.ADMIN, BodyKind.JSON, admin::updatePartner),
                new Route(
                        "POST", partner + "/suspend", Access.ADMIN, BodyKind.NONE, admin::suspend),
                new Route("POST", partner + "/resume", Access.ADMIN, BodyKind.NONE, admin::resume),
                new Route("POST", partner + "/keys", Access.ADMIN, BodyKind.JSON, admin::issueKey),
                new Route("GET", partner + "/keys", Access.ADMIN, BodyKind.NONE, admin::listKeys),
                new Route("POST", key + "/rotate", Access.ADMIN, BodyKind.JSON, admin::rotateKey),
                new Route("POST", key + "/revoke", Access.ADMIN, BodyKind.NONE, admin::revokeKey),
                new Route("GET", v1 + "/admin/audit", Access.ADMIN, BodyKind.NONE, admin::audit),
                new Route(
                        "GET",
                        v1 + "/admin/reconciliation/mismatches",
                        Access.ADMIN,
                        BodyKind.NONE,
                        history::reconciliationMismatches),
                new Route(
                        "GET",
                        v1 + "/admin/reconciliation/statements/{statementId}",
                        Access.ADMIN,
                        BodyKind.NONE,
                        history::statementMatches),
                new Route(
                        "POST",
                        partner + "/fee-schedules",
                        Access.ADMIN,
                        BodyKind.JSON,
                        admin::addFeeSchedule),
                new Route(
                        "GET",
                        partner + "/fee-schedules",
                        Access.ADMIN,
                        BodyKind.NONE,
                        admin::listFeeSchedules),
                new Route(
                        "PUT",
                        partner + "/settlement-settings",
                        Access.ADMIN,
                        BodyKind.JSON,
                        admin::setSettlementSettings),
                new Route(
                        "GET",
                        partner + "/settlement-settings",
                        Access.ADMIN,
                        BodyKind.NONE,
                        admin::getSettlementSettings),
                new Route(
                        "GET",
                        partner + "/settlements",
                        Access.ADMIN,
                        BodyKind.NONE,
                        history::partnerSettlements),
                new Route(
                        "GET",
                        partner + "/settlements/{batchId}",
                        Access.ADMIN,
                        BodyKind.NONE,
                        history::partnerSettlement),
                new Route(
                        "GET",
                        v1 + "/settlements",
                        Access.READ,
                        BodyKind.NONE,
                        history::settlements),
                new Route(
                        "GET",
                        v1 + "/settlements/{batchId}",
                        Access.READ,
                        BodyKind.NONE,
                        history::settlement),
                new Route("POST", v1 + "/transactions", Access.WRITE, BodyKind.JSON, tx::submit),
                new Route(
                        "POST",
                        v1 + "/transactions:batch",
                        Access.WRITE,
                        BodyKind.JSON_BATCH,
                        tx::submitBatch),
                new Route(
                        "GET",
                        v1 + "/transactions",
                        Access.READ,
                        BodyKind.NONE,
                        history::transactions),
                new Route(
                        "GET", account + "/entries", Access.READ, BodyKind.NONE, history::entries),
                new Route(
                        "GET", account + "/balance", Access.READ, BodyKind.NONE, history::balance),
                new Route(
                        "GET",
                        account + "/statement",
                        Access.READ,
                        BodyKind.NONE,
                        history::statement),
                new Route(
                        "GET",
                        partner + "/transactions",
                        Access.ADMIN,
                        BodyKind.NONE,
                        history::partnerTransactions),
                new Route(
                        "GET",
                        anyAccount + "/entries",
                        Access.ADMIN,
                        BodyKind.NONE,
                        history::anyEntries),
                new Route(
                        "GET",
                        anyAccount + "/balance",
                        Access.ADMIN,
                        BodyKind.NONE,
                        history::anyBalance),
                new Route(
                        "GET",
                        anyAccount + "/statement",
                        Access.ADMIN,
                        BodyKind.NONE,
                        history::anyStatement),
                new Route(
                        "GET",
                        v1 + "/transactions/{transactionId}",
                        Access.READ,
                        BodyKind.NONE,
                        tx::status),
                new Route("POST", v1 + "/accounts", Access.WRITE, BodyKind.JSON, accounts::open),
                new Route(
                        "GET",
                        v1 + "/accounts/{accountId}",
                        Access.READ,
                        BodyKind.NONE,
                        accounts::get),
                new Route(
                        "DELETE",
                        v1 + "/accounts/{accountId}",
                        Access.WRITE,
                        BodyKind.NONE,
                        accounts::close),
                new Route(
                        "POST",
                        v1 + "/accounts/{accountId}/freeze",
                        Access.WRITE,
                        BodyKind.NONE,
                        accounts::freeze),
                new Route(
                        "POST",
                        v1 + "/accounts/{accountId}/unfreeze",
                        Access.WRITE,
                        BodyKind.NONE,
                        accounts::unfreeze),
                new Route(
                        "PUT",
                        v1 + "/accounts/{accountId}/overdraft-limit",
                        Access.WRITE,
                        BodyKind.JSON,
                        accounts::setOverdraftLimit),
                new Route(
                        "GET",
                        v1 + "/admin/accounts/{accountId}",
                        Access.ADMIN,
                        BodyKind.NONE,
                        accounts::getAnyPartner),
                new Route(
                        "GET",
                        v1 + "/admin/partners/{partnerId}/transactions/{transactionId}",
                        Access.ADMIN,
                        BodyKind.NONE,
                        tx::statusForPartner),
                new Route(
                        "GET",
                        "/openapi.yaml",
                        Access.PUBLIC,
                        BodyKind.NONE,
                        ex -> operational.endpoints.openApi(ex)),
                new Route(
                        "GET",
                        "/health/live",
                        Access.PUBLIC,
                        BodyKind.NONE,
                        ex -> operational.endpoints.live(ex)),
                new Route(
                        "GET",
                        "/health/ready",
                        Access.PUBLIC,
                        BodyKind.NONE,
                        ex -> operational.endpoints.ready(ex)),
                new Route(
                        "GET",
                        "/metrics",
                        Access.PUBLIC,
                        BodyKind.NONE,
                        ex -> operational.endpoints.metrics(ex)));
    }

    /**
     * The production wiring: Kafka producer and Confluent Avro serializer against the configured
     * broker and registry, readiness probing both. With a partner database ({@code
     * LEDGERFLOW_PARTNERS_JDBC_URL}) the migrations are applied, {@code apiKeys} (may then be null)
     * and the bootstrap admin key are imported when absent, and keys are authenticated by a {@link
     * PostgresPartnerDirectory}; without one, {@code apiKeys} is the whole directory.
     */
    public static IngestApiServer withKafka(IngestApiConfig config, ApiKeys apiKeys) {
        Clock clock = Clock.systemUTC();
        if (config.partners().isEmpty()) {
            if (apiKeys == null) {
                throw new IllegalArgumentException("no partner database and no API keys");
            }
            return withKafka(
                    config,
                    apiKeys,
                    new AdminEndpoints(null, clock),
                    PartnerLimitOverrides.NONE,
                    List.of(),
                    webhookRoutes(config, null, clock));
        }
        IngestApiConfig.PartnersSettings settings = config.partners().get();
        PostgresSettings db = settings.database();
        if (settings.migrate()) {
            int applied = PostgresMigrations.apply(db.url(), db.user(), db.password().reveal());
            LOG.info("partner database migrations applied now: {}", applied);
        }
        PartnerDatabase database = new PartnerDatabase(db.url(), db.user(), db.password().reveal());
        PartnerStore store = new PartnerStore(database, clock);
        if (apiKeys != null) {
            int imported = store.importKeys(apiKeys);
            LOG.info(
                    "keys file: {} of {} keys imported into the partner database",
                    imported,
                    apiKeys.size());
        }
        if (!settings.bootstrapAdminKey().isEmpty()) {
            boolean imported =
                    store.importBootstrapAdminKey(
                            settings.platformPartnerId(), settings.bootstrapAdminKey().reveal());
            LOG.info(
                    "bootstrap admin key of partner {}: {}",
                    settings.platformPartnerId(),
                    imported ? "imported" : "already present");
        }
        PostgresPartnerDirectory directory =
                new PostgresPartnerDirectory(database, clock, settings.refresh());
        AdminEndpoints admin = new AdminEndpoints(store, clock);
        PartnerLimits defaults = config.rateLimits().defaults();
        // Answered from the directory's memory on every request: a changed limit applies from
        // the next poll on, like every other partner change.
        PartnerLimitOverrides overrides =
                partnerId -> directory.limitsOf(partnerId).map(stored -> stored.over(defaults));
        // Webhook endpoints and partner events live beside the partners (migration V13).
        WebhookStore webhookStore =
                new WebhookStore(
                        db.url(), db.user(), db.password().reveal(), 4, "ledgerflow-webhooks");
        if (config.webhooks().developmentKey()) {
            LOG.warn(
                    "LEDGERFLOW_WEBHOOK_SECRETS_KEY is not set: webhook signing secrets are"
                            + " encrypted with the public development key; set your own outside a"
                            + " laptop");
        }
        IngestApiServer server =
                withKafka(
                        config,
                        directory,
                        admin,
                        overrides,
                        List.of(directory),
                        webhookRoutes(config, webhookStore, clock));
        server.metrics.gauge(
                "ingest_partner_directory_keys",
                "API keys held in memory by this instance's partner directory.",
                directory::keyCount);
        server.metrics.gauge(
                "ingest_partner_directory_refresh_age_seconds",
                "Seconds since the partner directory last polled PostgreSQL successfully.",
                directory::secondsSinceRefresh);
        return server;
    }

    private static IngestApiServer withKafka(
            IngestApiConfig config,
            PartnerDirectory apiKeys,
            AdminEndpoints admin,
            PartnerLimitOverrides overrides,
            List<AutoCloseable> alsoOwned,
            WebhookEndpoints webhooks) {
        IngestMetrics metrics = new IngestMetrics(config.rateLimits().metricsMaxPartners());
        SchemaRegistryClient registry = SchemaRegistryClient.forUrl(config.schemaRegistryUrl());
        KafkaLedgerRequestPublisher publisher =
                new KafkaLedgerRequestPublisher(
                        config.bootstrapServers(),
                        config.topic(),
                        config.kafkaLingerMs(),
                        new ConfluentAvroSerializer<>(registry, LedgerRequest.class),
                        metrics);
        publisher.warmUp(IngestApiServer::sampleRequest);
        Readiness readiness =
                new KafkaAndRegistryReadiness(
                        config.bootstrapServers(),
                        config.schemaRegistryUrl(),
                        publisher::schemaReady);
        Clock clock = Clock.systemUTC();
        if (config.readModel().isEmpty()) {
            AcceptedTransactions accepted =
                    new AcceptedTransactions(
                            config.idempotencyTtl(), config.idempotencyMaxEntries(), clock);
            AcceptedAccounts accounts = new AcceptedAccounts(config.maxAccounts(), clock);
            IngestApiServer server =
                    new IngestApiServer(
                            config,
                            apiKeys,
                            publisher,
                            readiness,
                            clock,
                            metrics,
                            accepted,
                            accounts,
                            accepted,
                            accounts,
                            admin,
                            overrides,
                            LiveInstances.ONE,
                            withoutHistory(config, clock),
                            webhooks);
            server.owned.addAll(alsoOwned);
            server.waitForDecisions(
                    new LedgerDecisions(
                            config.bootstrapServers(),
                            config.kafka().topic(Topics.TRANSACTION_RESULTS),
                            registry));
            return server;
        }
        IngestApiConfig.ReadModelSettings settings = config.readModel().get();
        PostgresReadModel postgres =
                new PostgresReadModel(
                        settings.database().url(),
                        settings.database().user(),
                        settings.database().password().reveal(),
                        settings.poolSize(),
                        Duration.ofSeconds(2));
        ReadModelLookups lookups =
                new ReadModelLookups(postgres, settings.poolSize(), settings.maxQueued(), postgres);
        AcceptedTransactions accepted =
                new AcceptedTransactions(
                        config.idempotencyTtl(), config.idempotencyMaxEntries(), clock);
        AcceptedAccounts accounts = new AcceptedAccounts(config.maxAccounts(), clock);
        // The read model's database also counts the live API instances (V8 api_instances).
        ApiInstances instances =
                config.rateLimits().enabled()
                        ? ApiInstances.start(settings.database(), config.rateLimits())
                        : null;
        if (settings.developmentCursorKey()) {
            LOG.warn(
                    "LEDGERFLOW_CURSOR_KEY is not set: the history routes sign their cursors with"
                            + " the public development key; set a key of your own outside a"
                            + " laptop");
        }
        HistoryEndpoints history =
                HistoryEndpoints.overReadModel(
                        settings.database().url(),
                        settings.database().user(),
                        settings.database().password().reveal(),
                        settings.poolSize(),
                        settings.maxQueued(),
                        settings.cursorKey()
                                .reveal()
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        clock,
                        config.retryAfterSeconds());
        IngestApiServer server =
                new IngestApiServer(
                        config,
                        apiKeys,
                        publisher,
                        readiness,
                        clock,
                        metrics,
                        accepted,
                        accounts,
                        new ReadModelStatusView(lookups, accepted),
                        new ReadModelAccountView(lookups, accounts),
                        admin,
                        overrides,
                        instances == null ? LiveInstances.ONE : instances,
                        history,
                        webhooks);
        server.owned.add(lookups);
        server.owned.addAll(alsoOwned);
        if (instances != null) {
            server.owned.add(instances);
        }
        server.waitForDecisions(
                new LedgerDecisions(
                        config.bootstrapServers(),
                        config.kafka().topic(Topics.TRANSACTION_RESULTS),
                        registry));
        return server;
    }

    private static WebhookEndpoints webhookRoutes(
            IngestApiConfig config, WebhookStore store, Clock clock) {
        return new WebhookEndpoints(
                store,
                config.webhooks(),
                new EndpointUrls(config.webhooks().urlPolicy()),
                clock,
                config.retryAfterSeconds());
    }

    /**
     * Answers {@code Prefer: wait=N} requests with their decision when the ledger commits one in
     * time ({@code decisions} is closed with the server).
     */
    public void waitForDecisions(LedgerDecisions decisions) {
        owned.add(decisions);
        transactions.waitForDecisionsFrom(decisions);
    }

    /** A valid request, only encoded (never sent) to register the value schema at start. */
    private static LedgerRequest sampleRequest() {
        Instant now = Instant.now();
        return new LedgerRequest(
                MoneyMovement.newBuilder()
                        .setTransactionId("schema-warm-up")
                        .setPartnerId("ingest-api")
                        .setType(MovementType.DEPOSIT)
                        .setDestinationAccountId("warm-up")
                        .setAmountMinor(1)
                        .setCurrency("USD")
                        .setEventTime(now)
                        .setReceivedTime(now)
                        .setMetadata(Map.of())
                        .build());
    }

    /** Starts listening; returns the bound port. Blocks until every event loop listens. */
    public synchronized int start() {
        if (vertx != null) {
            return port;
        }
        vertx =
                Vertx.vertx(
                        new VertxOptions()
                                .setEventLoopPoolSize(config.eventLoops())
                                .setWorkerPoolSize(4)
                                .setPreferNativeTransport(false));
        operational.bind(vertx);
        HttpServerOptions options =
                new HttpServerOptions()
                        .setHost(config.httpHost())
                        .setTcpNoDelay(true)
                        .setIdleTimeout(120)
                        .setIdleTimeoutUnit(TimeUnit.SECONDS)
                        .setHandle100ContinueAutomatically(true)
                        .setCompressionSupported(false)
                        .setDecompressionSupported(false);
        // One server per event loop on the same port: Vert.x shares the listening socket and
        // spreads connections across the loops. Port 0 (tests) is resolved first, because
        // servers on port 0 would each get a different random port.
        int wanted = config.httpPort() == 0 ? freePort() : config.httpPort();
        port = deploy(options.setPort(wanted), config.eventLoops());
        return port;
    }

    private int deploy(HttpServerOptions options, int instances) {
        int[] bound = new int[1];
        try {
            vertx.deployVerticle(
                            () ->
                                    new AbstractVerticle() {
                                        @Override
                                        public void start(Promise<Void> started) {
                                            vertx.createHttpServer(options)
                                                    .requestHandler(front)
                                                    .invalidRequestHandler(front::invalidRequest)
                                                    .listen()
                                                    .onSuccess(
                                                            s -> {
                                                                bound[0] = s.actualPort();
                                                                started.complete();
                                                            })
                                                    .onFailure(started::fail);
                                        }
                                    },
                            new DeploymentOptions().setInstances(instances))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not listen on port " + options.getPort(), e);
        }
        return bound[0];
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Router router() {
        return router;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    @Override
    public synchronized void close() {
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Shutting down anyway; the cause may explain a hung or failed stop.
                LOG.warn("closing the HTTP server failed", e);
            }
            vertx = null;
        }
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                // Best effort on shutdown: close the others, but say what failed.
                LOG.warn("closing {} failed", resource, e);
            }
        }
    }
}
