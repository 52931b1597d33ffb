package dev.avatarfleet.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import dev.avatarfleet.common.config.SettingsException;
import dev.avatarfleet.common.image.ImageLimits;

/**
 * The API node's own settings, read from the environment once at start; each is declared once, below,
 * as a {@link Setting}. A wrong value stops the process with a message naming the variable. Connection
 * settings for Redis and Kafka are the common module's; the image limits are {@link ImageLimits}'.
 *
 * @param host                     {@link #API_HOST}
 * @param port                     {@link #API_PORT}
 * @param apiKeys                  {@link #API_KEYS}
 * @param maxUploadBytes           {@link #MAX_UPLOAD_BYTES}
 * @param imageLimits              {@link ImageLimits#MAX_IMAGE_BYTES}, {@link ImageLimits#IMAGE_MAX_PIXELS}, {@link ImageLimits#IMAGE_MAX_SIDE}
 * @param imageFetchConnectTimeout {@link #IMAGE_FETCH_CONNECT_TIMEOUT_MS}
 * @param imageFetchTimeout        {@link #IMAGE_FETCH_TIMEOUT_MS}
 * @param imageFetchMaxRedirects   {@link #IMAGE_FETCH_MAX_REDIRECTS}
 * @param imageFetchAllowPrivate   {@link #IMAGE_FETCH_ALLOW_PRIVATE}
 * @param syncLaunchTimeout        {@link #LAUNCH_SYNC_TIMEOUT_SECONDS}
 * @param proxyTimeout             {@link #WORKER_PROXY_TIMEOUT_SECONDS}
 * @param proxyMaxBytes            {@link #WORKER_PROXY_MAX_BYTES}
 * @param bithumanApiSecret        {@link #BITHUMAN_API_SECRET} (only its fingerprint is ever stored or logged)
 * @param shutdownGrace            {@link #API_SHUTDOWN_GRACE_SECONDS}
 * @param requestLimits            {@link #API_MAX_REQUEST_LINE_BYTES}, {@link #API_MAX_HEADER_BYTES}, {@link #API_MAX_HEADER_COUNT},
 *                                 {@link #API_REQUEST_READ_TIMEOUT_SECONDS}
 * @param tls                      {@link #API_TLS_CERT}, {@link #API_TLS_KEY}, {@link #API_TLS_KEYSTORE},
 *                                 {@link #API_TLS_KEYSTORE_PASSWORD} (the password is never logged)
 */
public record ApiSettings(
        String host,
        int port,
        List<String> apiKeys,
        long maxUploadBytes,
        ImageLimits imageLimits,
        Duration imageFetchConnectTimeout,
        Duration imageFetchTimeout,
        int imageFetchMaxRedirects,
        boolean imageFetchAllowPrivate,
        Duration syncLaunchTimeout,
        Duration proxyTimeout,
        long proxyMaxBytes,
        String bithumanApiSecret,
        Duration shutdownGrace,
        RequestLimits requestLimits,
        TlsSettings tls) {

    public static final int DEFAULT_PORT = 8089;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 12L * 1024 * 1024;

    public static final Setting<String> API_HOST = Setting.text("API_HOST", "0.0.0.0")
            .readBy(Node.API).documentedAllowed("an address").means("bind address");
    public static final Setting<Integer> API_PORT = Setting.integer("API_PORT", DEFAULT_PORT, 0, 65535)
            .readBy(Node.API).means("port");
    public static final Setting<List<String>> API_KEYS = Setting.list("API_KEYS")
            .readBy(Node.API).documentedDefault("(empty)")
            .means("comma list of API keys, each its own tenant (its id: a salted fingerprint of the key); with keys here, in"
                    + " `API_KEYS_FILE` or in Redis every route but `/health`, `/ready` and `/metrics` needs one (README, \"Keys and"
                    + " tenants\"); with none anywhere the node runs open");
    public static final Setting<String> BITHUMAN_API_SECRET = Setting.text("BITHUMAN_API_SECRET", null)
            .readBy(Node.API)
            .means("the billing secret, as in the seed: a launch's own `api_secret` (field, `api-secret` header or Bearer, as"
                    + " the plugin sends it) overrides it; the task records only its fingerprint, `billing_key_id`, so usage can"
                    + " be summed per secret. Unset: sessions run, usage is attributed to nothing, and the node says so at"
                    + " start. It is not an access key: that is `API_KEYS`");
    public static final Setting<Long> MAX_UPLOAD_BYTES = Setting.whole("MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES, 1024, 1L << 30)
            .readBy(Node.API).documentedDefault("`12582912` (12 MiB)").means("largest `/launch` body");
    public static final Setting<Duration> IMAGE_FETCH_CONNECT_TIMEOUT_MS = Setting.millis("IMAGE_FETCH_CONNECT_TIMEOUT_MS", 3000, 1, 600_000)
            .readBy(Node.API).means("connect timeout of an `avatar_image_url` download");
    public static final Setting<Duration> IMAGE_FETCH_TIMEOUT_MS = Setting.millis("IMAGE_FETCH_TIMEOUT_MS", 10_000, 1, 600_000)
            .readBy(Node.API).means("whole download, redirects included");
    public static final Setting<Integer> IMAGE_FETCH_MAX_REDIRECTS = Setting.integer("IMAGE_FETCH_MAX_REDIRECTS", 3, 0, 20)
            .readBy(Node.API).means("redirects followed (each must be http/https)");
    public static final Setting<Boolean> IMAGE_FETCH_ALLOW_PRIVATE = Setting.bool("IMAGE_FETCH_ALLOW_PRIVATE", false)
            .readBy(Node.API)
            .means("let `avatar_image_url` (and its redirects) reach loopback, link-local (cloud metadata), private, CGNAT and"
                    + " unique-local addresses in any of their forms (see POST /launch); refused by default with a 400"
                    + " `image download failed: ...`");
    public static final Setting<Duration> LAUNCH_SYNC_TIMEOUT_SECONDS = Setting.seconds("LAUNCH_SYNC_TIMEOUT_SECONDS", 600, 1, 86_400)
            .readBy(Node.API).means("longest `async_mode=false` wait");
    public static final Setting<Duration> WORKER_PROXY_TIMEOUT_SECONDS = Setting.seconds("WORKER_PROXY_TIMEOUT_SECONDS", 60, 1, 3600)
            .readBy(Node.API).means("`/benchmark` and `/test-frame` answer time");
    public static final Setting<Long> WORKER_PROXY_MAX_BYTES = Setting.whole("WORKER_PROXY_MAX_BYTES", 16L * 1024 * 1024, 1024, 1L << 30)
            .readBy(Node.API).means("largest worker answer passed on");

    public static final Setting<Duration> API_SHUTDOWN_GRACE_SECONDS = Setting.seconds("API_SHUTDOWN_GRACE_SECONDS", 30, 0, 3600)
            .readBy(Node.API).means("on SIGTERM the node stops accepting connections and gives the requests in flight this long "
                    + "to finish");
    public static final Setting<Integer> API_MAX_REQUEST_LINE_BYTES = Setting.integer("API_MAX_REQUEST_LINE_BYTES", 4096, 256, 65_536)
            .readBy(Node.API).means("longest request line (method, path, query); over it: 414 JSON");
    public static final Setting<Integer> API_MAX_HEADER_BYTES = Setting.integer("API_MAX_HEADER_BYTES", 16_384, 1024, 1 << 20)
            .readBy(Node.API).means("all request headers together; over it: 431 JSON");
    public static final Setting<Integer> API_MAX_HEADER_COUNT = Setting.integer("API_MAX_HEADER_COUNT", 100, 8, 1000)
            .readBy(Node.API).means("most request headers; over it: 431 JSON");
    public static final Setting<Duration> API_REQUEST_READ_TIMEOUT_SECONDS = Setting.seconds("API_REQUEST_READ_TIMEOUT_SECONDS", 30, 1, 3600)
            .readBy(Node.API)
            .means("a request's headers and body must arrive within this after its request line, or the connection is closed"
                    + " (a client trickling a byte at a time holds nothing longer); a connection sending no request line for this"
                    + " long (idle keep-alive, or a trickled request line) is closed too. Not the reply: an `async_mode=false`"
                    + " launch still waits up to `LAUNCH_SYNC_TIMEOUT_SECONDS`. It bounds uploads too: 30 s carries a 10 MiB"
                    + " image at about 3 Mbit/s; raise it for large images over slow links");
    public static final Setting<Path> API_TLS_CERT = Setting.path("API_TLS_CERT")
            .readBy(Node.API).means("PEM certificate chain (server certificate first); with `API_TLS_KEY` the node serves HTTPS");
    public static final Setting<Path> API_TLS_KEY = Setting.path("API_TLS_KEY")
            .readBy(Node.API).means("the unencrypted PKCS#8 PEM private key of `API_TLS_CERT`");
    public static final Setting<Path> API_TLS_KEYSTORE = Setting.path("API_TLS_KEYSTORE")
            .readBy(Node.API).means("instead of the two above: a PKCS#12 keystore holding one private key and its chain. Neither"
                    + " given: plain HTTP (the default). A half-given, unreadable or wrong TLS setting stops the start with its name");
    public static final Setting<String> API_TLS_KEYSTORE_PASSWORD = Setting.text("API_TLS_KEYSTORE_PASSWORD", null)
            .readBy(Node.API).documentedDefault("(unset)").means("the keystore's password (never logged)");

    /** Every setting of this record, in the README's order (the image limits are {@link ImageLimits#SETTINGS}). */
    public static final List<Setting<?>> SETTINGS = List.of(API_HOST, API_PORT, API_KEYS, BITHUMAN_API_SECRET, MAX_UPLOAD_BYTES,
            IMAGE_FETCH_CONNECT_TIMEOUT_MS, IMAGE_FETCH_TIMEOUT_MS, IMAGE_FETCH_MAX_REDIRECTS, IMAGE_FETCH_ALLOW_PRIVATE,
            LAUNCH_SYNC_TIMEOUT_SECONDS, WORKER_PROXY_TIMEOUT_SECONDS, WORKER_PROXY_MAX_BYTES, API_MAX_REQUEST_LINE_BYTES,
            API_MAX_HEADER_BYTES, API_MAX_HEADER_COUNT, API_REQUEST_READ_TIMEOUT_SECONDS, API_TLS_CERT, API_TLS_KEY,
            API_TLS_KEYSTORE, API_TLS_KEYSTORE_PASSWORD, API_SHUTDOWN_GRACE_SECONDS);

    public ApiSettings {
        if (imageLimits.maxBytes() > maxUploadBytes) {
            throw new SettingsException(ImageLimits.MAX_IMAGE_BYTES.name(), "(" + imageLimits.maxBytes() + ") must not exceed "
                    + MAX_UPLOAD_BYTES.name() + " (" + maxUploadBytes + ")");
        }
    }

    /** Settings from the environment. */
    public static ApiSettings fromEnvironment(Env env) {
        return new ApiSettings(
                env.get(API_HOST),
                env.get(API_PORT),
                env.get(API_KEYS),
                env.get(MAX_UPLOAD_BYTES),
                ImageLimits.fromEnvironment(env),
                env.get(IMAGE_FETCH_CONNECT_TIMEOUT_MS),
                env.get(IMAGE_FETCH_TIMEOUT_MS),
                env.get(IMAGE_FETCH_MAX_REDIRECTS),
                env.get(IMAGE_FETCH_ALLOW_PRIVATE),
                env.get(LAUNCH_SYNC_TIMEOUT_SECONDS),
                env.get(WORKER_PROXY_TIMEOUT_SECONDS),
                env.get(WORKER_PROXY_MAX_BYTES),
                env.get(BITHUMAN_API_SECRET),
                env.get(API_SHUTDOWN_GRACE_SECONDS),
                RequestLimits.from(env),
                TlsSettings.from(env));
    }

    /** Settings from a map shaped like the environment (tests pass their own). */
    public static ApiSettings from(Map<String, String> vars) {
        return fromEnvironment(new Env(vars));
    }

    /** {@link ImageLimits#MAX_IMAGE_BYTES}: the largest avatar image, uploaded, base64 or downloaded. */
    public long maxImageBytes() {
        return imageLimits.maxBytes();
    }

    /** why: records print every field; the keys and the billing secret must never reach a log. */
    @Override
    public String toString() {
        return "ApiSettings[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + " configured"
                + ", maxUploadBytes=" + maxUploadBytes + ", imageLimits=" + imageLimits
                + ", bithumanApiSecret=" + (bithumanApiSecret == null ? "unset" : "set") + ", " + requestLimits + ", " + tls + "]";
    }

    /** The same settings with another port (tests bind port 0). */
    public ApiSettings withPort(int newPort) {
        return new ApiSettings(host, newPort, apiKeys, maxUploadBytes, imageLimits, imageFetchConnectTimeout,
                imageFetchTimeout, imageFetchMaxRedirects, imageFetchAllowPrivate, syncLaunchTimeout, proxyTimeout, proxyMaxBytes,
                bithumanApiSecret, shutdownGrace, requestLimits, tls);
    }
}
