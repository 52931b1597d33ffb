package dev.avatarfleet.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.common.json.Json;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON replies on either node's routes, with the project's one mapper, so records render the same everywhere. */
public final class JsonReply {
    /** The project's mapper ({@link Json#mapper()}). */
    public static final ObjectMapper MAPPER = Json.mapper();

    private JsonReply() {
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

    /** Writes the refusal {@code e} as its status and {@linkplain ApiException#body() error body}. */
    public static void send(ServerResponse res, ApiException e) {
        e.headers().forEach(res::header);
        send(res, e.status(), e.body());
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
