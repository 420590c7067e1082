package io.ledgerflow.ingest.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.ingest.webhooks.EndpointUrls.Policy;
import io.ledgerflow.ingest.webhooks.EndpointUrls.RefusedUrlException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The URL policies, with names resolved by a fixed table (no DNS in unit tests). */
class EndpointUrlsTest {

    private static final Map<String, String[]> DNS =
            Map.of(
                    "partner.example", new String[] {"93.184.216.34"},
                    "sneaky.example", new String[] {"93.184.216.34", "10.0.0.7"},
                    "metadata.example", new String[] {"169.254.169.254"},
                    "v6.example", new String[] {"2606:2800:220:1:248:1893:25c8:1946"});

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] addresses = DNS.get(host);
        if (addresses == null) {
            if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            out[i] = InetAddress.getByName(addresses[i]);
        }
        return out;
    }

    private static final EndpointUrls PRODUCTION =
            new EndpointUrls(Policy.PRODUCTION, EndpointUrlsTest::resolve);

    @Test
    void productionAcceptsHttpsToPublicAddressesOnly() {
        assertThatCode(() -> PRODUCTION.check("https://partner.example/hooks?x=1"))
                .doesNotThrowAnyException();
        assertThatCode(() -> PRODUCTION.check("https://v6.example/hooks"))
                .doesNotThrowAnyException();
        assertThatCode(() -> PRODUCTION.check("https://93.184.216.34:8443/h"))
                .doesNotThrowAnyException();
        for (String refused :
                new String[] {
                    "http://partner.example/hooks",
                    "https://sneaky.example/hooks",
                    "https://metadata.example/",
                    "https://127.0.0.1/",
                    "https://127.8.9.10/",
                    "https://10.0.0.1/",
                    "https://172.31.255.255/",
                    "https://192.168.0.1/",
                    "https://100.100.100.100/",
                    "https://0.0.0.0/",
                    "https://224.0.0.1/",
                    "https://[::1]/",
                    "https://[fe80::1]/",
                    "https://[fc00::1]/",
                    "https://[::ffff:127.0.0.1]/",
                    "https://[64:ff9b::a00:1]/",
                    "https://unknown.example/",
                    "https://user@partner.example/",
                    "https://partner.example/#frag",
                    "ftp://partner.example/",
                    "not a url"
                }) {
            assertThatThrownBy(() -> PRODUCTION.check(refused))
                    .as(refused)
                    .isInstanceOf(RefusedUrlException.class);
        }
    }

    @Test
    void stagingWantsHttpsButAllowsPrivateAddressesAndDevelopmentAllowsBoth() throws Exception {
        EndpointUrls staging = new EndpointUrls(Policy.STAGING, EndpointUrlsTest::resolve);
        assertThat(staging.check("https://10.0.0.1/hooks").getHost()).isEqualTo("10.0.0.1");
        assertThatThrownBy(() -> staging.check("http://partner.example/"))
                .hasMessageContaining("https");
        EndpointUrls development = new EndpointUrls(Policy.DEVELOPMENT, EndpointUrlsTest::resolve);
        assertThat(development.check("http://127.0.0.1:8080/hooks").getPort()).isEqualTo(8080);
    }

    @Test
    void theRefusalNamesTheAddress() {
        assertThatThrownBy(() -> PRODUCTION.check("https://sneaky.example/"))
                .hasMessageContaining("10.0.0.7");
    }
}
