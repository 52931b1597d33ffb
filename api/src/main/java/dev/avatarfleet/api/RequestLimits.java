package dev.avatarfleet.api;

import dev.avatarfleet.common.config.Env;
import java.time.Duration;

/**
 * The bounds an API node puts on every request before any handler sees it, read once at start.
 *
 * @param maxRequestLineBytes API_MAX_REQUEST_LINE_BYTES: longest request line, method, path and query
 *                            (default 4096, 256..65536); longer is a 414 JSON
 * @param maxHeaderBytes      API_MAX_HEADER_BYTES: all request headers together (default 16384, 1024..1048576);
 *                            more is a 431 JSON
 * @param maxHeaderCount      API_MAX_HEADER_COUNT: request headers (default 100, 8..1000); more is a 431 JSON
 * @param readTimeout         API_REQUEST_READ_TIMEOUT_SECONDS: a request's headers and body must have arrived
 *                            this long after its request line, or the connection is closed; a connection that
 *                            sends no request line for this long is closed too (default 30, 1..3600)
 */
public record RequestLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, Duration readTimeout) {
    /** Reads the four variables above. */
    public static RequestLimits from(Env env) {
        return new RequestLimits(
                env.integer("API_MAX_REQUEST_LINE_BYTES", 4096, 256, 65_536),
                env.integer("API_MAX_HEADER_BYTES", 16_384, 1024, 1 << 20),
                env.integer("API_MAX_HEADER_COUNT", 100, 8, 1000),
                env.seconds("API_REQUEST_READ_TIMEOUT_SECONDS", 30, 1, 3600));
    }
}
