package dev.avatarfleet.common.http;

import io.helidon.http.Status;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request a node (API or worker) refuses, with the HTTP status, a short machine-readable code and a
 * reason a person can act on. Thrown anywhere below the routing and turned into the one error body,
 * {@link #body()}, once, by {@link ErrorMapping}; never carries a stack trace to the client.
 */
public final class ApiException extends RuntimeException {
    private final Status status;
    private final String code;
    private final Map<String, String> headers;

    private ApiException(Status status, String code, String reason, Throwable cause) {
        this(status, code, reason, cause, Map.of());
    }

    private ApiException(Status status, String code, String reason, Throwable cause, Map<String, String> headers) {
        super(reason, cause, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    /** 400: a missing or malformed field, a bad token, an invalid image. */
    public static ApiException badRequest(String reason) {
        return new ApiException(Status.BAD_REQUEST_400, "bad_request", reason, null);
    }

    /** 400 with a more specific code (e.g. {@code invalid_image}). */
    public static ApiException badRequest(String code, String reason) {
        return new ApiException(Status.BAD_REQUEST_400, code, reason, null);
    }

    /** 401: API keys are configured and the request carries none of them; says how to send one (RFC 6750). */
    public static ApiException unauthorized(String reason) {
        return new ApiException(Status.UNAUTHORIZED_401, "unauthorized", reason, null,
                Map.of("WWW-Authenticate", "Bearer realm=\"avatar-fleet\""));
    }

    /**
     * 429 with {@code Retry-After} (whole seconds, at least 1): a limit of the caller's ({@code rate_limited},
     * {@code quota_exceeded}) that frees up later.
     */
    public static ApiException limited(String code, String reason, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new ApiException(Status.TOO_MANY_REQUESTS_429, code, reason, null, Map.of("Retry-After", Long.toString(seconds)));
    }

    /** 403: the caller is known but may not use this route. */
    public static ApiException forbidden(String reason) {
        return new ApiException(Status.FORBIDDEN_403, "forbidden", reason, null);
    }

    /** 404: an unknown route or task. */
    public static ApiException notFound(String reason) {
        return new ApiException(Status.NOT_FOUND_404, "not_found", reason, null);
    }

    /** 405: a known path asked with a method it does not serve. */
    public static ApiException methodNotAllowed(String reason) {
        return new ApiException(Status.METHOD_NOT_ALLOWED_405, "method_not_allowed", reason, null);
    }

    /** 409: the request conflicts with the state of what it names (e.g. {@code task_active}). */
    public static ApiException conflict(String code, String reason) {
        return new ApiException(Status.CONFLICT_409, code, reason, null);
    }

    /** 410: what the request needs is gone for good (e.g. {@code record_gone}: a launch record aged out of Kafka). */
    public static ApiException gone(String code, String reason) {
        return new ApiException(Status.GONE_410, code, reason, null);
    }

    /** 408: the client did not send its request within the read timeout. */
    public static ApiException requestTimeout(String reason) {
        return new ApiException(Status.REQUEST_TIMEOUT_408, "request_timeout", reason, null);
    }

    /** 413: the body (or the image in it) is over its size limit. */
    public static ApiException tooLarge(String reason) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, "too_large", reason, null);
    }

    /** 415: a body in a content type the endpoint does not read. */
    public static ApiException unsupportedMediaType(String reason) {
        return new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type", reason, null);
    }

    /** 429: one request of this kind runs at a time and one is running. */
    public static ApiException busy(String reason) {
        return new ApiException(Status.TOO_MANY_REQUESTS_429, "busy", reason, null);
    }

    /** 503 with the seed's status words: {@code not_ready}, {@code at_capacity}, or {@code unavailable}. */
    public static ApiException unavailable(String code, String reason) {
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, code, reason, null);
    }

    /** 503 for a dependency (Redis, Kafka, a worker) that failed; the cause is logged, not sent. */
    public static ApiException unavailable(String code, String reason, Throwable cause) {
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, code, reason, cause);
    }

    /** 504: a proxied worker did not answer in time. */
    public static ApiException gatewayTimeout(String reason) {
        return new ApiException(Status.GATEWAY_TIMEOUT_504, "timeout", reason, null);
    }

    /** 502: a proxied worker answered something we cannot pass on. */
    public static ApiException badGateway(String reason, Throwable cause) {
        return new ApiException(Status.BAD_GATEWAY_502, "bad_gateway", reason, cause);
    }

    /** 500: an unexpected failure; the body names no class and carries no trace. */
    static ApiException internal(String reason) {
        return new ApiException(Status.INTERNAL_SERVER_ERROR_500, "internal", reason, null);
    }

    /** Any status and code (the answers Helidon gives before routing). */
    static ApiException of(Status status, String code, String reason) {
        return new ApiException(status, code, reason, null);
    }

    public Status status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }

    /** Headers the refusal carries beside its body ({@code WWW-Authenticate}, {@code Retry-After}); often none. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The error body every refusal of either node carries: {@code {"status", "error", "reason", "detail"}}. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        // why: the seed's 503 bodies carry the state in "status" (not_ready / at_capacity); 4xx say "error"
        body.put("status", status.code() == 503 ? code : "error");
        body.put("error", code);
        body.put("reason", reason());
        // why: FastAPI-style clients (the seed container is one) log "detail"
        body.put("detail", reason());
        return body;
    }
}
