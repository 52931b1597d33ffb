package dev.avatarfleet.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The API node's own settings, read from the environment once at start. A wrong value stops the
 * process with a message naming the variable. Connection settings for Redis and Kafka are the
 * common module's.
 *
 * @param host                 API_HOST: bind address (default 0.0.0.0)
 * @param port                 API_PORT: listen port (default 8089; 0 picks a free one)
 * @param apiKeys              API_KEYS: comma list of accepted credentials; empty accepts every request
 * @param maxUploadBytes       MAX_UPLOAD_BYTES: largest /launch body (default 12 MiB)
 * @param maxImageBytes        MAX_IMAGE_BYTES: largest avatar image, uploaded, base64 or downloaded (default 10 MiB)
 * @param imageFetchConnectTimeout IMAGE_FETCH_CONNECT_TIMEOUT_MS (default 3000)
 * @param imageFetchTimeout    IMAGE_FETCH_TIMEOUT_MS: whole download, redirects included (default 10000)
 * @param imageFetchMaxRedirects IMAGE_FETCH_MAX_REDIRECTS (default 3)
 * @param syncLaunchTimeout    LAUNCH_SYNC_TIMEOUT_SECONDS: how long async_mode=false holds the reply (default 600)
 * @param proxyTimeout         WORKER_PROXY_TIMEOUT_SECONDS: /benchmark and /test-frame to a worker (default 60)
 * @param proxyMaxBytes        WORKER_PROXY_MAX_BYTES: largest worker reply passed on (default 16 MiB)
 */
public record ApiSettings(
        String host,
        int port,
        List<String> apiKeys,
        long maxUploadBytes,
        long maxImageBytes,
        Duration imageFetchConnectTimeout,
        Duration imageFetchTimeout,
        int imageFetchMaxRedirects,
        Duration syncLaunchTimeout,
        Duration proxyTimeout,
        long proxyMaxBytes) {

    public static final int DEFAULT_PORT = 8089;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 12L * 1024 * 1024;
    public static final long DEFAULT_MAX_IMAGE_BYTES = 10L * 1024 * 1024;

    /** Settings from the process environment. */
    public static ApiSettings fromEnvironment() {
        return from(System.getenv());
    }

    /** Settings from a map shaped like the environment (tests pass their own). */
    public static ApiSettings from(Map<String, String> env) {
        Reader r = new Reader(env);
        ApiSettings s = new ApiSettings(
                r.string("API_HOST", "0.0.0.0"),
                (int) r.number("API_PORT", DEFAULT_PORT, 0, 65535),
                r.list("API_KEYS"),
                r.number("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES, 1024, 1L << 30),
                r.number("MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES, 1024, 1L << 30),
                Duration.ofMillis(r.number("IMAGE_FETCH_CONNECT_TIMEOUT_MS", 3000, 1, 600_000)),
                Duration.ofMillis(r.number("IMAGE_FETCH_TIMEOUT_MS", 10_000, 1, 600_000)),
                (int) r.number("IMAGE_FETCH_MAX_REDIRECTS", 3, 0, 20),
                Duration.ofSeconds(r.number("LAUNCH_SYNC_TIMEOUT_SECONDS", 600, 1, 86_400)),
                Duration.ofSeconds(r.number("WORKER_PROXY_TIMEOUT_SECONDS", 60, 1, 3600)),
                r.number("WORKER_PROXY_MAX_BYTES", 16L * 1024 * 1024, 1024, 1L << 30));
        if (s.maxImageBytes > s.maxUploadBytes) {
            throw new IllegalArgumentException("MAX_IMAGE_BYTES (" + s.maxImageBytes + ") must not exceed MAX_UPLOAD_BYTES ("
                    + s.maxUploadBytes + ")");
        }
        return s;
    }

    /** The same settings with another port (tests bind port 0). */
    public ApiSettings withPort(int newPort) {
        return new ApiSettings(host, newPort, apiKeys, maxUploadBytes, maxImageBytes, imageFetchConnectTimeout,
                imageFetchTimeout, imageFetchMaxRedirects, syncLaunchTimeout, proxyTimeout, proxyMaxBytes);
    }

    private record Reader(Map<String, String> env) {
        String string(String name, String fallback) {
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        List<String> list(String name) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return List.of();
            }
            return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        long number(String name, long fallback, long min, long max) {
            return parse(name, fallback, min, max, Long::parseLong);
        }

        private long parse(String name, long fallback, long min, long max, Function<String, Long> parser) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            long n;
            try {
                n = parser.apply(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, was \"" + v + "\"");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        }
    }
}
