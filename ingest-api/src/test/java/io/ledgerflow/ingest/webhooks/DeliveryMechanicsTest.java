package io.ledgerflow.ingest.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Backoff with jitter, the secret box and the signature's shape (interoperability: the ITCase). */
class DeliveryMechanicsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void backoffDoublesUpToTheCapWithJitterAndParksAtTheGiveUpTime() {
        RetrySchedule full =
                new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1), () -> 1.0);
        RetrySchedule half =
                new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1), () -> 0.0);
        Instant far = NOW.plus(Duration.ofDays(1));
        assertThat(full.next(1, NOW, far)).isEqualTo(NOW.plusSeconds(5));
        assertThat(full.next(2, NOW, far)).isEqualTo(NOW.plusSeconds(10));
        assertThat(half.next(2, NOW, far)).isEqualTo(NOW.plusSeconds(5));
        assertThat(full.next(30, NOW, far)).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(full.next(1000, NOW, far)).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(full.next(3, NOW, NOW.plusSeconds(19))).isNull();
    }

    @Test
    void secretsDecryptOnlyWithTheirKeyAndOnTheirEndpoint() {
        SecretBox box = SecretBox.fromBase64(WebhookSettings.DEVELOPMENT_SECRETS_KEY.reveal());
        String secret = WebhookSignature.newSecret();
        byte[] sealed = box.seal(secret, "ep_1");
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(secret);
        assertThat(box.open(sealed, "ep_1")).isEqualTo(secret);
        assertThatThrownBy(() -> box.open(sealed, "ep_2")).hasMessageNotContaining(secret);
        SecretBox other =
                SecretBox.fromBase64(java.util.Base64.getEncoder().encodeToString(new byte[32]));
        assertThatThrownBy(() -> other.open(sealed, "ep_1"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(box.toString()).doesNotContain(WebhookSettings.DEVELOPMENT_SECRETS_KEY.reveal());
        assertThatThrownBy(() -> SecretBox.fromBase64("c2hvcnQ=")).hasMessageContaining("32 bytes");
    }

    @Test
    void theSignatureIsVersionedBase64OfTheHmac() {
        String secret = WebhookSignature.newSecret();
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
        String sig = WebhookSignature.sign(secret, "evt_1", 1_700_000_000L, "{}");
        assertThat(sig).matches("v1,[A-Za-z0-9+/]{43}=");
        assertThat(WebhookSignature.sign(secret, "evt_1", 1_700_000_001L, "{}")).isNotEqualTo(sig);
    }
}
