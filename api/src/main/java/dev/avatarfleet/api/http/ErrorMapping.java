package dev.avatarfleet.api.http;

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
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Maps every failure to a JSON reply, once, at the routing level: {@link ApiException} with its
 * status, Helidon's own request errors (bad framing, payload over the server limit) with theirs,
 * and anything unexpected as a 500 whose body names no class and carries no stack trace.
 */
public final class ErrorMapping {
    private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());

    private ErrorMapping() {
    }

    /** Installs the error handlers and the JSON 404 for unknown routes (call last). */
    public static void install(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ErrorMapping::apiError)
                .error(DependencyUnavailableException.class, ErrorMapping::dependencyDown)
                .error(RequestException.class, ErrorMapping::requestError)
                .error(DataReader.InsufficientDataAvailableException.class, ErrorMapping::bodyCutShort)
                .error(Exception.class, ErrorMapping::unexpected)
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
            LOG.log(Level.WARNING, req.prologue().method().text() + " " + req.path().path() + ": " + e.reason(), e.getCause());
        }
        Json.send(res, e.status(), Json.errorBody(e));
    }

    /**
     * A client cut off by the read deadline: its socket is closed already, so the 408 is tried once and a
     * failure is not worth more than a DEBUG line. why: a slow-client attack must not become a log flood.
     */
    private static void requestTimeout(ServerRequest req, ServerResponse res, ApiException e) {
        try {
            res.header(HeaderValues.CONNECTION_CLOSE);
            Json.send(res, e.status(), Json.errorBody(e));
        } catch (RuntimeException closed) {
            LOG.log(Level.DEBUG, () -> req.prologue().method().text() + " " + req.path().path() + ": " + e.reason()
                    + " (connection closed)");
        }
    }

    private static void dependencyDown(ServerRequest req, ServerResponse res, DependencyUnavailableException e) {
        LOG.log(Level.WARNING, req.prologue().method().text() + " " + req.path().path() + ": " + e.getMessage());
        ApiException mapped = ApiException.unavailable("unavailable", e.dependency() + " unavailable, retry later");
        Json.send(res, mapped.status(), Json.errorBody(mapped));
    }

    private static void requestError(ServerRequest req, ServerResponse res, RequestException e) {
        Status status = e.status();
        ApiException mapped = switch (status.code()) {
            case 413 -> ApiException.tooLarge("request body is over the size limit");
            case 415 -> ApiException.unsupportedMediaType("unsupported content type");
            default -> status.code() >= 500
                    ? null
                    : ApiException.badRequest(e.safeMessage() ? e.getMessage() : "malformed request");
        };
        if (mapped == null) {
            unexpected(req, res, e);
            return;
        }
        Json.send(res, mapped.status(), Json.errorBody(mapped));
    }

    /**
     * The request body ended before its declared length (the client stopped sending or hung up
     * mid-upload): the client's fault, so a 400, not a 500 with a stack trace in the log for each one.
     */
    private static void bodyCutShort(ServerRequest req, ServerResponse res, DataReader.InsufficientDataAvailableException e) {
        LOG.log(Level.DEBUG, () -> req.prologue().method().text() + " " + req.path().path() + ": request body ended early");
        ApiException mapped = ApiException.badRequest("request body ended before its Content-Length");
        Json.send(res, mapped.status(), Json.errorBody(mapped));
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(Level.ERROR, "unexpected failure on " + req.prologue().method().text() + " " + req.path().path(), e);
        Json.send(res, Status.INTERNAL_SERVER_ERROR_500,
                Json.object("status", "error", "error", "internal", "reason", "internal error (logged on the API node)",
                        "detail", "internal error (logged on the API node)"));
    }

    private static DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                          DirectHandler.EventType eventType,
                                                          Status status,
                                                          io.helidon.http.ServerResponseHeaders headers,
                                                          String message) {
        String reason = switch (status.code()) {
            case 413 -> "request body is over the size limit";
            case 414 -> "request line is longer than API_MAX_REQUEST_LINE_BYTES";
            case 431 -> "request headers are over API_MAX_HEADER_BYTES or more than API_MAX_HEADER_COUNT";
            case 408 -> "request not received within API_REQUEST_READ_TIMEOUT_SECONDS";
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
            default -> status.code() >= 500 ? "internal" : "refused";
        };
        String body;
        try {
            body = Json.MAPPER.writeValueAsString(Json.object("status", "error", "error", code, "reason", reason, "detail", reason));
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
