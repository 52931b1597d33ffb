package dev.avatarfleet.api.image;

import dev.avatarfleet.api.http.LimitedInputStream;
import dev.avatarfleet.common.http.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Downloads an avatar image from an http(s) URL with every bound a hostile URL calls for: a
 * connect timeout, a total deadline over all hops, a bounded number of redirects (each one
 * re-checked to be http or https), a byte cap enforced while streaming, and no internal hosts
 * unless allowed ({@link DownloadTargetGuard}, checked on every hop before it is requested). Each
 * hop connects to the address its check resolved, never to a second lookup of the name (Helidon's
 * WebClient asks its {@code DnsResolver} for the address; ours answers the checked one). Any failure
 * is a 400 {@code "image download failed: ..."}; a body over the cap is a 413.
 */
public final class ImageDownloader implements AutoCloseable {
    private final Duration connectTimeout;
    private final Duration total;
    private final int maxRedirects;
    private final long maxBytes;
    private final DownloadTargetGuard guard;
    private final Consumer<InetAddress> beforeConnect;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public ImageDownloader(Duration connectTimeout, Duration total, int maxRedirects, long maxBytes,
                           DownloadTargetGuard guard) {
        this(connectTimeout, total, maxRedirects, maxBytes, guard, address -> { });
    }

    /**
     * With an observer of connect attempts: {@code beforeConnect} sees each address the client is about
     * to connect to, and may refuse it by throwing (tests prove with it what was, and was not, reached).
     */
    public ImageDownloader(Duration connectTimeout, Duration total, int maxRedirects, long maxBytes,
                    DownloadTargetGuard guard, Consumer<InetAddress> beforeConnect) {
        this.connectTimeout = connectTimeout;
        this.total = total;
        this.maxRedirects = maxRedirects;
        this.maxBytes = maxBytes;
        this.guard = guard;
        this.beforeConnect = beforeConnect;
        // why: the first client built loads the WebClient's classes and providers (seconds on a busy machine);
        // pay that at start, not inside the first download's deadline
        client(InetAddress.getLoopbackAddress());
    }

    /** Downloads {@code url}; see the class comment for the bounds. */
    public byte[] download(URI url) {
        AtomicReference<InputStream> open = new AtomicReference<>();
        Future<byte[]> task = executor.submit(() -> fetch(url, open));
        try {
            return task.get(total.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            closeQuietly(open.get());
            throw failed("timed out after " + total.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            closeQuietly(open.get());
            throw failed("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiException api) {
                throw api;
            }
            throw failed(describe(cause));
        }
    }

    private byte[] fetch(URI first, AtomicReference<InputStream> open) throws IOException {
        URI url = first;
        for (int hop = 0; ; hop++) {
            DownloadTargetGuard.CheckedTarget target = guard.check(url);
            try (HttpClientResponse response = client(target.address()).get()
                    .uri(target.uri())
                    // why: no proxy may resolve the name again; redirects are followed below, each one checked
                    .proxy(Proxy.noProxy())
                    .followRedirects(false)
                    .keepAlive(false)
                    .header(HeaderNames.ACCEPT, "image/*")
                    .header(HeaderNames.USER_AGENT, "avatar-fleet-api")
                    .request()) {
                int status = response.status().code();
                var location = response.headers().first(HeaderNames.LOCATION);
                if (status >= 300 && status < 400 && location.isPresent()) {
                    if (hop >= maxRedirects) {
                        throw failed("more than " + maxRedirects + " redirects");
                    }
                    URI next;
                    try {
                        next = url.resolve(new URI(location.get().trim()));
                    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                        throw failed("redirect to a malformed URL");
                    }
                    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                    if (!scheme.equals("http") && !scheme.equals("https")) {
                        throw failed("redirect to a non-http(s) URL");
                    }
                    url = next;
                    continue;
                }
                if (status != 200) {
                    throw failed("HTTP " + status + " from " + target.uri().getHost());
                }
                long declared = response.headers().contentLength().orElse(-1);
                if (declared > maxBytes) {
                    throw ApiException.tooLarge("image download is over MAX_IMAGE_BYTES (" + maxBytes + " bytes)");
                }
                InputStream body = response.inputStream();
                open.set(body);
                return LimitedInputStream.readAll(body, maxBytes,
                        () -> ApiException.tooLarge("image download is over MAX_IMAGE_BYTES (" + maxBytes + " bytes)"));
            }
        }
    }

    /**
     * A client for one hop whose only answer to "where is this host" is the checked address.
     * why: one client per hop, no shared connection cache, so no connection made for another check is reused
     */
    private WebClient client(InetAddress checked) {
        return WebClient.builder()
                .connectTimeout(connectTimeout)
                .readTimeout(total)
                .followRedirects(false)
                .shareConnectionCache(false)
                .dnsResolver((hostname, lookup) -> {
                    beforeConnect.accept(checked);
                    return checked;
                })
                .build();
    }

    private String describe(Throwable failure) {
        // why: HttpClient wraps the cause (ConnectException inside an IOException); name the innermost known one
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketTimeoutException) {
                return cause.getMessage() != null && cause.getMessage().toLowerCase(Locale.ROOT).contains("connect")
                        ? "connect timed out" : "timed out after " + total.toMillis() + " ms";
            }
            if (cause instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (cause instanceof java.nio.channels.UnresolvedAddressException || cause instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed";
            }
            if (cause instanceof IllegalArgumentException) {
                return "URL not usable";
            }
        }
        return "connection failed";
    }

    static ApiException failed(String reason) {
        return ApiException.badRequest("image_download_failed", "image download failed: " + reason);
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to do: the download is abandoned
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
