package io.ledgerflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final RouteHandler NOTHING = exchange -> {};

    private final Router router =
            new Router(
                    List.of(
                            route("POST", "/api/v1/transactions"),
                            route("POST", "/api/v1/transactions:batch"),
                            route("GET", "/api/v1/transactions/{transactionId}"),
                            route("GET", "/api/v1/accounts/{accountId}"),
                            route("DELETE", "/api/v1/accounts/{accountId}"),
                            route("POST", "/api/v1/accounts/{accountId}/freeze")));

    private static Route route(String method, String template) {
        return new Route(method, template, Route.Access.READ, Route.BodyKind.NONE, NOTHING);
    }

    @Test
    void matchesLiteralAndParameterSegments() {
        Router.Match match = router.match("GET", "/api/v1/transactions/tx:1.a");
        assertThat(match).isInstanceOf(Router.Found.class);
        assertThat(((Router.Found) match).pathParams())
                .isEqualTo(Map.of("transactionId", "tx:1.a"));
        assertThat(
                        ((Router.Found) router.match("POST", "/api/v1/transactions:batch"))
                                .route()
                                .template())
                .isEqualTo("/api/v1/transactions:batch");
    }

    @Test
    void unknownPathIsNotFound() {
        assertThat(router.match("GET", "/api/v1/nope")).isInstanceOf(Router.NotFound.class);
        assertThat(router.match("GET", "/api/v1/transactions/"))
                .isInstanceOf(Router.NotFound.class);
        assertThat(router.match("GET", "/api/v1/accounts/a/b/c"))
                .isInstanceOf(Router.NotFound.class);
        assertThat(router.match("GET", "")).isInstanceOf(Router.NotFound.class);
    }

    @Test
    void knownPathWithOtherMethodListsAllowedMethods() {
        Router.Match match = router.match("PUT", "/api/v1/accounts/acc-1");
        assertThat(match).isInstanceOf(Router.MethodNotAllowed.class);
        assertThat(((Router.MethodNotAllowed) match).allowed()).isEqualTo(Set.of("DELETE", "GET"));
        assertThat(
                        ((Router.MethodNotAllowed)
                                        router.match("GET", "/api/v1/transactions:batch"))
                                .allowed())
                .containsExactly("POST");
    }
}
