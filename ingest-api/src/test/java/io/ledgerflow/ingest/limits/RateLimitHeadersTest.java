package io.ledgerflow.ingest.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerflow.ingest.limits.Admission.Limit;
import org.junit.jupiter.api.Test;

/** The draft's Structured Field syntax, byte for byte. */
class RateLimitHeadersTest {

    @Test
    void policyAndStateAreListsOfNamedItems() {
        Admission requests = new Admission(Limit.REQUESTS, true, 100, 99, 1);
        Admission movements = new Admission(Limit.MOVEMENTS, false, 50, 0, 2);

        assertThat(RateLimitHeaders.policy(requests)).isEqualTo("\"requests\";q=100;w=1");
        assertThat(RateLimitHeaders.state(movements)).isEqualTo("\"movements\";r=0;t=2");
        assertThat(
                        RateLimitHeaders.append(
                                RateLimitHeaders.append(null, RateLimitHeaders.state(requests)),
                                RateLimitHeaders.state(movements)))
                .isEqualTo("\"requests\";r=99;t=1, \"movements\";r=0;t=2");
    }
}
