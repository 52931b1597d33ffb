package dev.avatarfleet.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.SettingsException;

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
 * @param imageFetchAllowPrivate IMAGE_FETCH_ALLOW_PRIVATE: let avatar_image_url reach loopback, link-local and
 *                             private addresses (default false)
 * @param syncLaunchTimeout    LAUNCH_SYNC_TIMEOUT_SECONDS: how long async_mode=false holds the reply (default 600)
 * @param proxyTimeout         WORKER_PROXY_TIMEOUT_SECONDS: /benchmark and /test-frame to a worker (default 60)
 * @param proxyMaxBytes        WORKER_PROXY_MAX_BYTES: largest worker reply passed on (default 16 MiB)
 * @param bithumanApiSecret    BITHUMAN_API_SECRET: the billing secret a launch without its own {@code api_secret}
 *                             is accounted to (only its fingerprint is stored); unset: usage is not attributed
 * @param requestLimits        request line, header and read-time bounds ({@link RequestLimits}: API_MAX_REQUEST_LINE_BYTES,
 *                             API_MAX_HEADER_BYTES, API_MAX_HEADER_COUNT, API_REQUEST_READ_TIMEOUT_SECONDS)
 * @param tls                  HTTPS when a certificate is given ({@link TlsSettings}: API_TLS_CERT, API_TLS_KEY,
 *                             API_TLS_KEYSTORE, API_TLS_KEYSTORE_PASSWORD)
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
        boolean imageFetchAllowPrivate,
        Duration syncLaunchTimeout,
        Duration proxyTimeout,
        long proxyMaxBytes,
        String bithumanApiSecret,
        RequestLimits requestLimits,
        TlsSettings tls) {

    public static final int DEFAULT_PORT = 8089;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 12L * 1024 * 1024;
    public static final long DEFAULT_MAX_IMAGE_BYTES = 10L * 1024 * 1024;

    /** Settings from the process environment. */
    public static ApiSettings fromEnvironment() {
        return from(System.getenv());
    }

    /** Settings from a map shaped like the environment (tests pass their own). */
    public static ApiSettings from(Map<String, String> vars) {
        Env env = new Env(vars);
        ApiSettings s = new ApiSettings(
                env.string("API_HOST", "0.0.0.0"),
                env.integer("API_PORT", DEFAULT_PORT, 0, 65535),
                env.list("API_KEYS"),
                env.whole("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES, 1024, 1L << 30),
                env.whole("MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES, 1024, 1L << 30),
                env.millis("IMAGE_FETCH_CONNECT_TIMEOUT_MS", 3000, 1, 600_000),
                env.millis("IMAGE_FETCH_TIMEOUT_MS", 10_000, 1, 600_000),
                env.integer("IMAGE_FETCH_MAX_REDIRECTS", 3, 0, 20),
                env.bool("IMAGE_FETCH_ALLOW_PRIVATE", false),
                env.seconds("LAUNCH_SYNC_TIMEOUT_SECONDS", 600, 1, 86_400),
                env.seconds("WORKER_PROXY_TIMEOUT_SECONDS", 60, 1, 3600),
                env.whole("WORKER_PROXY_MAX_BYTES", 16L * 1024 * 1024, 1024, 1L << 30),
                env.raw("BITHUMAN_API_SECRET"),
                RequestLimits.from(env),
                TlsSettings.from(env));
        if (s.maxImageBytes > s.maxUploadBytes) {
            throw new SettingsException("MAX_IMAGE_BYTES", "(" + s.maxImageBytes + ") must not exceed MAX_UPLOAD_BYTES ("
                    + s.maxUploadBytes + ")");
        }
        return s;
    }

    /** why: records print every field; the keys and the billing secret must never reach a log. */
    @Override
    public String toString() {
        return "ApiSettings[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + " configured"
                + ", maxUploadBytes=" + maxUploadBytes + ", maxImageBytes=" + maxImageBytes
                + ", bithumanApiSecret=" + (bithumanApiSecret == null ? "unset" : "set") + ", " + requestLimits + ", " + tls + "]";
    }

    /** The same settings with another port (tests bind port 0). */
    public ApiSettings withPort(int newPort) {
        return new ApiSettings(host, newPort, apiKeys, maxUploadBytes, maxImageBytes, imageFetchConnectTimeout,
                imageFetchTimeout, imageFetchMaxRedirects, imageFetchAllowPrivate, syncLaunchTimeout, proxyTimeout, proxyMaxBytes,
                bithumanApiSecret, requestLimits, tls);
    }
}
