package dev.avatarfleet.common.http;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every failure to a JSON reply, once, at the routing level of either node: {@link ApiException}
 * with its status, Helidon's own request errors (bad framing, payload over the server limit) with theirs,
 * and anything unexpected as a 500 whose body names no class and carries no stack trace. Every body is
 * {@link ApiException#body()}'s shape.
 */
public final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    /**
     * Installs the error handlers and the JSON 404 for unknown routes (call last).
     *
     * @param node where an unexpected failure is logged, as its 500 says ("API node", "worker")
     */
    public static void install(HttpRouting.Builder routing, String node) {
        String internal = "internal error (logged on the " + node + ")";
        routing.error(ApiException.class, ErrorMapping::apiError)
                .error(DependencyUnavailableException.class, ErrorMapping::dependencyDown)
                .error(RequestException.class, (req, res, e) -> requestError(req, res, e, internal))
                .error(DataReader.InsufficientDataAvailableException.class, ErrorMapping::bodyCutShort)
                .error(Exception.class, (req, res, e) -> unexpected(req, res, e, internal))
                // why: Helidon answers an unmatched route with a plain-text 404; every reply here is JSON
                .any((req, res) -> {
                    throw ApiException.notFound("no route for " + req.prologue().method().text() + " " + req.path().path());
                });
    }

    /** The JSON direct handlers for errors raised before routing (framing, server payload limit). */
    public static DirectHandlers directHandlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, ErrorMapping::direct);
        }
        return builder.build();
    }

    private static void apiError(ServerRequest req, ServerResponse res, ApiException e) {
        if (e.status() == Status.REQUEST_TIMEOUT_408) {
            requestTimeout(req, res, e);
            return;
        }
        if (e.getCause() != null) {
            LOG.warn("{} {}: {}", req.prologue().method().text(), req.path().path(), e.reason(), e.getCause());
        }
        JsonReply.send(res, e);
    }

    /**
     * A client cut off by the read deadline: its socket is closed already, so the 408 is tried once and a
     * failure is not worth more than a DEBUG line. why: a slow-client attack must not become a log flood.
     */
    private static void requestTimeout(ServerRequest req, ServerResponse res, ApiException e) {
        try {
            res.header(HeaderValues.CONNECTION_CLOSE);
            JsonReply.send(res, e);
        } catch (RuntimeException closed) {
            LOG.debug("{} {}: {} (connection closed)", req.prologue().method().text(), req.path().path(), e.reason());
        }
    }

    private static void dependencyDown(ServerRequest req, ServerResponse res, DependencyUnavailableException e) {
        LOG.warn("{} {}: {}", req.prologue().method().text(), req.path().path(), e.getMessage());
        ApiException mapped = ApiException.unavailable("unavailable", e.dependency() + " unavailable, retry later");
        JsonReply.send(res, mapped);
    }

    private static void requestError(ServerRequest req, ServerResponse res, RequestException e, String internal) {
        Status status = e.status();
        ApiException mapped = switch (status.code()) {
            case 413 -> ApiException.tooLarge("request body is over the size limit");
            case 415 -> ApiException.unsupportedMediaType("unsupported content type");
            default -> status.code() >= 500
                    ? null
                    : ApiException.badRequest(e.safeMessage() ? e.getMessage() : "malformed request");
        };
        if (mapped == null) {
            unexpected(req, res, e, internal);
            return;
        }
        JsonReply.send(res, mapped);
    }

    /**
     * The request body ended before its declared length (the client stopped sending or hung up
     * mid-upload): the client's fault, so a 400, not a 500 with a stack trace in the log for each one.
     */
    private static void bodyCutShort(ServerRequest req, ServerResponse res, DataReader.InsufficientDataAvailableException e) {
        LOG.debug("{} {}: request body ended early", req.prologue().method().text(), req.path().path());
        ApiException mapped = ApiException.badRequest("request body ended before its Content-Length");
        JsonReply.send(res, mapped);
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Exception e, String reason) {
        LOG.error("unexpected failure on {} {}", req.prologue().method().text(), req.path().path(), e);
        JsonReply.send(res, ApiException.internal(reason));
    }

    private static DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                          DirectHandler.EventType eventType,
                                                          Status status,
                                                          io.helidon.http.ServerResponseHeaders headers,
                                                          String message) {
        String reason = switch (status.code()) {
            case 413 -> "request body is over the size limit";
            // why: shared by API nodes and workers; the API's settings for these bounds are named in its README
            case 414 -> "request line is too long";
            case 431 -> "request headers are too large or too many";
            case 408 -> "request not received in time";
            default -> switch (eventType) {
                case BAD_REQUEST -> "malformed request";
                case HTTP_VERSION_NOT_SUPPORTED -> "HTTP version not supported";
                case FORBIDDEN -> "forbidden";
                default -> status.code() >= 500 ? "internal error" : "request refused";
            };
        };
        String code = switch (status.code()) {
            case 413 -> "too_large";
            case 414 -> "request_line_too_long";
            case 431 -> "headers_too_large";
            case 408 -> "request_timeout";
            case 400 -> "bad_request";
            default -> status.code() == 503 ? "unavailable" : status.code() >= 500 ? "internal" : "refused";
        };
        String body;
        try {
            body = JsonReply.MAPPER.writeValueAsString(ApiException.of(status, code, reason).body());
        } catch (Exception e) {
            body = "{\"status\":\"error\",\"reason\":\"request refused\"}";
        }
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
