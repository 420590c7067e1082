package io.ledgerflow.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.ingest.http.Route;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scope rules, the key format, and the keys file as a partner directory. */
class ScopesAndKeysTest {

    @Test
    void scopesAreNested() {
        assertThat(Scope.READ.includes(Route.Access.READ.scope())).isTrue();
        assertThat(Scope.READ.includes(Route.Access.WRITE.scope())).isFalse();
        assertThat(Scope.WRITE.includes(Route.Access.READ.scope())).isTrue();
        assertThat(Scope.WRITE.includes(Route.Access.ADMIN.scope())).isFalse();
        assertThat(Scope.ADMIN.includes(Route.Access.WRITE.scope())).isTrue();
        assertThat(Route.Access.PUBLIC.scope()).isNull();
    }

    @Test
    void aNewKeyIsRandomNamedByItsIdAndStoredOnlyAsAHash() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            NewApiKey key = NewApiKey.generate();
            assertThat(key.key()).matches("lf_[a-z2-7]{12}_[A-Za-z0-9_-]{43}");
            assertThat(key.key()).startsWith(key.prefix() + "_");
            assertThat(key.prefix()).isEqualTo("lf_" + key.keyId());
            assertThat(key.hash()).isEqualTo(ApiKeys.sha256(key.key()));
            assertThat(key.toString()).doesNotContain(key.key());
            assertThat(seen.add(key.key())).isTrue();
        }
    }

    @Test
    void theKeysFileIsADirectoryWithoutOverrides() {
        ApiKeys keys =
                ApiKeys.parse(
                        List.of(
                                "acme:partner:" + ApiKeys.sha256Hex("acme-secret"),
                                "ops:admin:" + ApiKeys.sha256Hex("ops-secret")),
                        "test");
        assertThat(keys.authenticate("acme-secret")).contains(new Partner("acme", Scope.WRITE));
        assertThat(keys.authenticate("ops-secret").orElseThrow().isAdmin()).isTrue();
        assertThat(keys.authenticate("x".repeat(257))).isEmpty();
        assertThat(keys.limitsOf("acme")).contains(StoredLimits.NONE);
        assertThat(keys.limitsOf("nobody")).isEmpty();
        assertThat(keys.seeds())
                .extracting(ApiKeys.Seed::scope)
                .containsExactly(Scope.WRITE, Scope.ADMIN);
    }
}
