package dev.avatarfleet.api.image;

import dev.avatarfleet.common.http.ApiException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an {@code avatar_image_url} (or a redirect it leads to) may be fetched, and
 * which address the fetch connects to.
 *
 * <p>why: the URL comes from whoever calls {@code /launch}; fetched from inside the fleet it could read
 * the API node's own loopback services, a cloud metadata endpoint (169.254.169.254) or hosts on the
 * private network. Those ({@link InternalAddresses}) are refused unless the operator says the fleet
 * fetches from them ({@code IMAGE_FETCH_ALLOW_PRIVATE=true}). The host is resolved once, every address
 * it resolves to is checked, and the {@link CheckedTarget} carries the address to connect to: a name
 * that re-resolves between the check and the connection (DNS rebinding) reaches nothing new.
 */
public final class DownloadTargetGuard {
    /** Name resolution, replaceable in tests (a resolver that answers differently each time). */
    @FunctionalInterface
    interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * A URL that passed the check: {@code uri} is what to request (canonical host, no userinfo, no
     * fragment) and {@code address} what to connect to (named as the host, for TLS and SNI).
     */
    public record CheckedTarget(URI uri, InetAddress address) {
    }

    private static final String ALLOW_HINT = "set IMAGE_FETCH_ALLOW_PRIVATE=true to allow";

    private final boolean allowPrivate;
    private final HostResolver resolver;
    private final Set<InetSocketAddress> exempt;

    public DownloadTargetGuard(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName, Set.of());
    }

    DownloadTargetGuard(boolean allowPrivate, HostResolver resolver, Set<InetSocketAddress> exempt) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
        this.exempt = Set.copyOf(exempt);
    }

    /**
     * Test seam: refuses like the default guard, except the exact address and port {@code exempt}
     * (a test's own server on 127.0.0.1, the first hop of a redirect to a refused target).
     */
    static DownloadTargetGuard exemptingForTests(InetSocketAddress exempt, HostResolver resolver) {
        return new DownloadTargetGuard(false, resolver, Set.of(exempt));
    }

    /**
     * Checks {@code url} and resolves its host once.
     *
     * @throws ApiException 400 {@code image download failed: ...} naming why it is refused
     */
    public CheckedTarget check(URI url) {
        try {
            return checked(url);
        } catch (TargetHost.Refused e) {
            throw ImageDownloader.failed(e.getMessage());
        }
    }

    /** The reason {@code url} must not be fetched, or empty when it may be. */
    public Optional<String> refusal(URI url) {
        try {
            checked(url);
            return Optional.empty();
        } catch (TargetHost.Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    private CheckedTarget checked(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TargetHost.Refused("not an http(s) URL");
        }
        TargetHost host = TargetHost.of(url);
        InetAddress[] addresses;
        if (host.literal() != null) {
            addresses = new InetAddress[] {host.literal()};
        } else if (!allowPrivate && (host.name().equals("localhost") || host.name().endsWith(".localhost"))) {
            throw new TargetHost.Refused(shown(host.written()) + " is a loopback name (" + ALLOW_HINT + ")");
        } else {
            try {
                addresses = resolver.resolve(host.name());
            } catch (UnknownHostException e) {
                throw new TargetHost.Refused("unknown host");
            }
            if (addresses == null || addresses.length == 0) {
                throw new TargetHost.Refused("unknown host");
            }
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                if (exempt.contains(new InetSocketAddress(a, host.port()))) {
                    continue;
                }
                Optional<String> kind = InternalAddresses.kind(a);
                if (kind.isPresent()) {
                    String verb = host.literal() != null ? " is" : " resolves to";
                    throw new TargetHost.Refused(shown(host.written()) + verb + " an internal address (" + a.getHostAddress()
                            + ", " + kind.get() + "); " + ALLOW_HINT);
                }
            }
        }
        if (host.userInfo()) {
            // why: credentials in an image URL are either a mistake that leaks them or a trick on URL parsers
            throw new TargetHost.Refused("URLs with credentials (user@host) are not fetched");
        }
        InetAddress pinned;
        try {
            pinned = InetAddress.getByAddress(host.name(), addresses[0].getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a resolved address has 4 or 16 bytes", e);
        }
        return new CheckedTarget(request(url, host), pinned);
    }

    private static URI request(URI url, TargetHost host) {
        StringBuilder s = new StringBuilder(url.getScheme().toLowerCase(Locale.ROOT)).append("://").append(host.urlHost());
        s.append(':').append(host.port());
        s.append(url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath());
        if (url.getRawQuery() != null) {
            s.append('?').append(url.getRawQuery());
        }
        try {
            return new URI(s.toString());
        } catch (java.net.URISyntaxException e) {
            throw new TargetHost.Refused("URL not usable");
        }
    }

    /** why: the host comes from the client; it goes back into a reason, so no control characters and no novel. */
    private static String shown(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 77) + "...";
    }
}
