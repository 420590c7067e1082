package io.ledgerflow.ingest.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which webhook URLs are allowed ({@code LEDGERFLOW_WEBHOOK_URL_POLICY}), against server-side
 * request forgery:
 *
 * <ul>
 *   <li>{@code development}: http or https, any address (a laptop, the tests' receivers);
 *   <li>{@code staging}: https only, any address;
 *   <li>{@code production}: https only, and every address the host resolves to must be public: no
 *       loopback, link-local (cloud metadata at 169.254.169.254), private (10/8, 172.16/12,
 *       192.168/16, fc00::/7), carrier-grade NAT (100.64/10), unspecified, multicast or IPv4-mapped
 *       forms of these.
 * </ul>
 *
 * Checked when an endpoint is created or changed, and again before every attempt (a name may
 * resolve elsewhere later). The HTTP client then resolves again itself, so a name whose answers
 * change between the two looks (DNS rebinding) is narrowed, not closed: production should also deny
 * private ranges to the notifier's pods by network policy (runbook). Redirects are never followed:
 * a 3xx is a failed attempt.
 */
public final class EndpointUrls {

    public enum Policy {
        DEVELOPMENT,
        STAGING,
        PRODUCTION;

        public static Policy parse(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /** A URL the policy refuses, with the reason for the partner. */
    public static final class RefusedUrlException extends Exception {
        private static final long serialVersionUID = 1L;

        public RefusedUrlException(String message) {
            super(message);
        }
    }

    /** How names resolve; tests may give their own. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Policy policy;
    private final Resolver resolver;

    public EndpointUrls(Policy policy) {
        this(policy, InetAddress::getAllByName);
    }

    public EndpointUrls(Policy policy, Resolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    public Policy policy() {
        return policy;
    }

    /** The URL parsed, or the reason it is refused. */
    public URI check(String url) throws RefusedUrlException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedUrlException("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new RefusedUrlException("the URL must be http or https");
        }
        if (scheme.equals("http") && policy != Policy.DEVELOPMENT) {
            throw new RefusedUrlException("the URL must be https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new RefusedUrlException("the URL needs a host, and no user info or fragment");
        }
        if (policy == Policy.PRODUCTION) {
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            InetAddress[] addresses;
            try {
                addresses = resolver.resolve(host);
            } catch (UnknownHostException e) {
                throw new RefusedUrlException("the host " + host + " does not resolve");
            }
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new RefusedUrlException(
                            "the host "
                                    + host
                                    + " resolves to a non-public address ("
                                    + address.getHostAddress()
                                    + ")");
                }
            }
        }
        return uri;
    }

    /** Whether an address is publicly routable unicast. */
    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            return !(a0 == 0
                    || a0 == 10
                    || a0 == 127
                    || (a0 == 100 && a1 >= 64 && a1 <= 127)
                    || (a0 == 169 && a1 == 254)
                    || (a0 == 172 && a1 >= 16 && a1 <= 31)
                    || (a0 == 192 && a1 == 168)
                    || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0)
                    || (a0 == 198 && (a1 == 18 || a1 == 19))
                    || a0 >= 224);
        }
        if (address instanceof Inet6Address) {
            // Unique local fc00::/7; IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::/96) judged
            // by their IPv4 part.
            if ((b[0] & 0xfe) == 0xfc) {
                return false;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean nat64 =
                    (b[0] & 0xff) == 0
                            && (b[1] & 0xff) == 0x64
                            && (b[2] & 0xff) == 0xff
                            && (b[3] & 0xff) == 0x9b;
            if (mapped || nat64) {
                try {
                    return isPublic(
                            InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
