package dev.avatarfleet.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON mapper of the API node and the helpers that write JSON replies. */
public final class Json {
    /** The project's mapper (common), so task records render exactly as the workers write them. */
    public static final ObjectMapper MAPPER = dev.avatarfleet.common.json.Json.mapper();

    private Json() {
    }

    /** Writes {@code body} as {@code application/json} with the given status. */
    public static void send(ServerResponse res, Status status, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(bytes);
    }

    /** The error body every refusal carries: {@code {"status", "error", "reason", "detail"}}. */
    public static Map<String, Object> errorBody(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        // why: the seed's 503 bodies carry the state in "status" (not_ready / at_capacity); 4xx say "error"
        body.put("status", e.status().code() == 503 ? e.code() : "error");
        body.put("error", e.code());
        body.put("reason", e.reason());
        // why: FastAPI-style clients (the seed container is one) log "detail"
        body.put("detail", e.reason());
        return body;
    }

    /** An ordered map literal, for small reply bodies. */
    public static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
