package dev.avatarfleet.api.image;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Decides whether an {@code avatar_image_url} (or a redirect it leads to) may be fetched.
 *
 * why: the URL comes from whoever calls {@code /launch}; fetched from inside the fleet it could read
 * the API node's own loopback services, a cloud metadata endpoint (169.254.169.254) or hosts on the
 * private network. Those are refused unless the operator says the fleet fetches from them
 * ({@code IMAGE_FETCH_ALLOW_PRIVATE=true}). Every address the name resolves to is checked; a name
 * that re-resolves between this check and the connection (DNS rebinding) is not covered.
 */
public final class DownloadTargetGuard {

    private final boolean allowPrivate;

    public DownloadTargetGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The reason {@code url} must not be fetched, or empty when it may be. */
    public Optional<String> refusal(URI url) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("URL has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("unknown host");
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                return Optional.of(host + " is a loopback, link-local or private address"
                        + " (set IMAGE_FETCH_ALLOW_PRIVATE=true to allow)");
            }
        }
        return Optional.empty();
    }

    static boolean isInternal(InetAddress a) {
        return a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress() || isUniqueLocal(a) || isCarrierGradeNat(a);
    }

    /** fc00::/7, IPv6's private range (Java's isSiteLocal covers only the deprecated fec0::/10). */
    private static boolean isUniqueLocal(InetAddress a) {
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** 100.64.0.0/10, shared address space that is private in practice. */
    private static boolean isCarrierGradeNat(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }
}
