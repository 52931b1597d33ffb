package dev.avatarfleet.api.image;

import dev.avatarfleet.api.http.LimitedInputStream;
import dev.avatarfleet.common.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Downloads an avatar image from an http(s) URL with every bound a hostile URL calls for: a
 * connect timeout, a total deadline over all hops, a bounded number of redirects (each one
 * re-checked to be http or https), a byte cap enforced while streaming, and no internal hosts
 * unless allowed ({@link DownloadTargetGuard}, checked on every hop). Any failure is a
 * 400 {@code "image download failed: ..."}; a body over the cap is a 413.
 */
public final class ImageDownloader implements AutoCloseable {
    private final HttpClient client;
    private final Duration total;
    private final int maxRedirects;
    private final long maxBytes;
    private final DownloadTargetGuard guard;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public ImageDownloader(Duration connectTimeout, Duration total, int maxRedirects, long maxBytes,
                           DownloadTargetGuard guard) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // why: redirects are followed here, one hop at a time, so each target is checked and counted
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.total = total;
        this.maxRedirects = maxRedirects;
        this.maxBytes = maxBytes;
        this.guard = guard;
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

    private byte[] fetch(URI first, AtomicReference<InputStream> open) throws IOException, InterruptedException {
        URI url = first;
        for (int hop = 0; ; hop++) {
            Optional<String> refused = guard.refusal(url);
            if (refused.isPresent()) {
                throw failed(refused.get());
            }
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(total)
                    .header("Accept", "image/*")
                    .header("User-Agent", "avatar-fleet-api")
                    .GET()
                    .build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            InputStream body = response.body();
            open.set(body);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                body.close();
                if (hop >= maxRedirects) {
                    throw failed("more than " + maxRedirects + " redirects");
                }
                URI next = url.resolve(response.headers().firstValue("Location").get());
                String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    throw failed("redirect to a non-http(s) URL");
                }
                url = next;
                continue;
            }
            if (status != 200) {
                body.close();
                throw failed("HTTP " + status + " from " + url.getHost());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                body.close();
                throw ApiException.tooLarge("image download is over MAX_IMAGE_BYTES (" + maxBytes + " bytes)");
            }
            try (InputStream in = body) {
                return LimitedInputStream.readAll(in, maxBytes,
                        () -> ApiException.tooLarge("image download is over MAX_IMAGE_BYTES (" + maxBytes + " bytes)"));
            }
        }
    }

    private String describe(Throwable failure) {
        // why: HttpClient wraps the cause (ConnectException inside an IOException); name the innermost known one
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.http.HttpConnectTimeoutException) {
                return "connect timed out";
            }
            if (cause instanceof java.net.http.HttpTimeoutException) {
                return "timed out after " + total.toMillis() + " ms";
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

    private static ApiException failed(String reason) {
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
        client.close();
    }
}
