package dev.avatarfleet.api;

import dev.avatarfleet.common.config.Env;
import java.time.Duration;

/**
 * The bounds an API node puts on every request before any handler sees it, read once at start; the
 * settings are declared in {@link ApiSettings}.
 *
 * @param maxRequestLineBytes {@link ApiSettings#API_MAX_REQUEST_LINE_BYTES}
 * @param maxHeaderBytes      {@link ApiSettings#API_MAX_HEADER_BYTES}
 * @param maxHeaderCount      {@link ApiSettings#API_MAX_HEADER_COUNT}
 * @param readTimeout         {@link ApiSettings#API_REQUEST_READ_TIMEOUT_SECONDS}
 */
public record RequestLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount, Duration readTimeout) {
    /** Reads the four settings. */
    public static RequestLimits from(Env env) {
        return new RequestLimits(env.get(ApiSettings.API_MAX_REQUEST_LINE_BYTES), env.get(ApiSettings.API_MAX_HEADER_BYTES),
                env.get(ApiSettings.API_MAX_HEADER_COUNT), env.get(ApiSettings.API_REQUEST_READ_TIMEOUT_SECONDS));
    }
}
