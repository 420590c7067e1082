package io.ledgerflow.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private final ApiKeys keys =
            ApiKeys.parse(
                    List.of(
                            "# partners",
                            "",
                            "acme:partner:" + ApiKeys.sha256Hex("acme-secret"),
                            "ops:admin:" + ApiKeys.sha256Hex("ops-secret").toUpperCase()),
                    "test");

    @Test
    void knownKeysAuthenticateTheirPartnerAndRole() {
        assertThat(keys.authenticate("acme-secret")).contains(new Partner("acme", Scope.WRITE));
        assertThat(keys.authenticate("ops-secret")).contains(new Partner("ops", Scope.ADMIN));
    }

    @Test
    void unknownMissingOrAbsurdKeysDoNot() {
        assertThat(keys.authenticate("acme-secret ")).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(keys.authenticate("x".repeat(10_000))).isEmpty();
    }

    @Test
    void malformedLinesFailLoudly() {
        assertThatThrownBy(() -> ApiKeys.parse(List.of("acme:partner:abc"), "f"))
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("acme:root:" + ApiKeys.sha256Hex("k")), "f"))
                .hasMessageContaining("role");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("# nothing"), "f"))
                .hasMessageContaining("no API keys");
    }

    @Test
    void developmentKeysAreDocumentedOnes() {
        ApiKeys dev = ApiKeys.developmentKeys();
        assertThat(dev.authenticate("dev-partner-key"))
                .map(Partner::partnerId)
                .contains("dev-partner");
        assertThat(dev.authenticate("dev-admin-key")).map(Partner::isAdmin).contains(true);
    }

    @Test
    void generatedKeysAreLongAndRandom() {
        assertThat(ApiKeyHashCommand.newKey()).startsWith("lf_").hasSizeGreaterThan(40);
        assertThat(ApiKeyHashCommand.newKey()).isNotEqualTo(ApiKeyHashCommand.newKey());
    }
}
