package dev.avatarfleet.api.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.Header;
import io.helidon.http.Headers;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Refuses a request whose headers are over {@code API_MAX_HEADER_BYTES} in all or more than
 * {@code API_MAX_HEADER_COUNT} in number with a 431 JSON, as soon as they are read and before any
 * routing. why: Helidon bounds the headers' bytes only, and answers that bound with a bare 400;
 * thousands of tiny headers fit in 16 KiB and each costs a map entry in every filter and handler.
 * The server's own byte bound is set to twice ours ({@link #parserBound}), a backstop that is never
 * the first to refuse.
 */
public final class HeaderLimits implements Http1ConnectionListener {
    /** 431, which Helidon's Status has no constant for. */
    static final Status TOO_LARGE = Status.create(431, "Request Header Fields Too Large");

    private final int maxBytes;
    private final int maxCount;

    public HeaderLimits(int maxBytes, int maxCount) {
        this.maxBytes = maxBytes;
        this.maxCount = maxCount;
    }

    /** The byte bound to give Helidon's parser: ours twice over, so ours answers first with its 431. */
    public static int parserBound(int maxBytes) {
        return maxBytes * 2;
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        if (headers.size() > maxCount) {
            throw refused("more than " + maxCount + " request headers (API_MAX_HEADER_COUNT)");
        }
        long bytes = 0;
        for (Header h : headers) {
            // why: as on the wire: "Name: value\r\n"
            bytes += h.name().length() + 2L + h.values().length() + 2L;
        }
        if (bytes > maxBytes) {
            throw refused("request headers are over " + maxBytes + " bytes (API_MAX_HEADER_BYTES)");
        }
    }

    private static RequestException refused(String message) {
        return RequestException.builder()
                .type(DirectHandler.EventType.OTHER)
                .status(TOO_LARGE)
                .message(message)
                .setKeepAlive(false)
                .build();
    }
}
