package dev.avatarfleet.api.launch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.http.UntrustedJson;
import dev.avatarfleet.api.http.LimitedInputStream;
import dev.avatarfleet.common.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code POST /launch} body into a {@link LaunchForm}: {@code multipart/form-data} (the
 * seed's curl examples and the plugin's expression mode) or {@code application/json} (the
 * plugin's default). Every read is bounded while the bytes arrive: the whole body by
 * {@code MAX_UPLOAD_BYTES}, the image by {@code MAX_IMAGE_BYTES}, each text field by
 * {@link #MAX_TEXT_FIELD_BYTES}.
 */
public final class LaunchFormReader {
    /** A text field longer than this is refused (tokens are a few KiB). */
    public static final int MAX_TEXT_FIELD_BYTES = 64 * 1024;
    private static final Set<String> TEXT_FIELDS = Set.of("livekit_url", "livekit_token", "room_name", "prompt",
            "api_secret", "async_mode", "avatar_id", "avatar_image_url", "agent_id", "mode");
    private static final Set<String> JSON_FIELDS = Set.of("livekit_url", "livekit_token", "room_name", "mode", "image",
            "agent_id", "avatar_id", "prompt", "api_secret", "async_mode", "avatar_image_url");

    private final long maxUploadBytes;
    private final long maxImageBytes;
    private final UntrustedJson json;

    public LaunchFormReader(long maxUploadBytes, long maxImageBytes) {
        this.maxUploadBytes = maxUploadBytes;
        this.maxImageBytes = maxImageBytes;
        this.json = new UntrustedJson(maxUploadBytes, "request body");
    }

    /**
     * Reads the body in the format its content type names.
     *
     * @throws ApiException 415 for any other content type, 413 over a limit, 400 when malformed
     */
    public LaunchForm read(String contentType, InputStream body) throws IOException {
        if (contentType == null || contentType.isBlank()) {
            throw ApiException.unsupportedMediaType("POST /launch needs Content-Type multipart/form-data or application/json");
        }
        InputStream bounded = new LimitedInputStream(body, maxUploadBytes,
                () -> ApiException.tooLarge("request body is over MAX_UPLOAD_BYTES (" + maxUploadBytes + " bytes)"));
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return switch (type) {
            case "multipart/form-data" -> readMultipart(MultipartFormReader.boundaryOf(contentType), bounded);
            case "application/json" -> readJson(bounded);
            default -> throw ApiException.unsupportedMediaType(
                    "POST /launch reads multipart/form-data or application/json, not " + type);
        };
    }

    private LaunchForm readMultipart(String boundary, InputStream body) throws IOException {
        MultipartFormReader reader = new MultipartFormReader(body, boundary);
        Map<String, String> text = new HashMap<>();
        byte[] image = null;
        for (var next = reader.next(); next.isPresent(); next = reader.next()) {
            MultipartFormReader.Part part = next.get();
            if (part.name().equals("avatar_image")) {
                if (image != null) {
                    throw ApiException.badRequest("avatar_image is given more than once");
                }
                image = LimitedInputStream.readAll(part.body(), maxImageBytes,
                        () -> ApiException.tooLarge("avatar_image is over MAX_IMAGE_BYTES (" + maxImageBytes + " bytes)"));
                if (image.length == 0) {
                    // why: curl and browsers send an empty file part for an empty file input; treat it as absent
                    image = null;
                }
            } else if (TEXT_FIELDS.contains(part.name())) {
                if (part.isFile()) {
                    throw ApiException.badRequest(part.name() + " must be a text field, not a file");
                }
                byte[] value = LimitedInputStream.readAll(part.body(), MAX_TEXT_FIELD_BYTES,
                        () -> ApiException.tooLarge(part.name() + " is over " + MAX_TEXT_FIELD_BYTES + " bytes"));
                if (text.put(part.name(), new String(value, StandardCharsets.UTF_8)) != null) {
                    throw ApiException.badRequest(part.name() + " is given more than once");
                }
            }
            // why: unknown parts are skipped (bounded by MAX_UPLOAD_BYTES), as form handlers usually do
        }
        return new LaunchForm(text.get("livekit_url"), text.get("livekit_token"), text.get("room_name"),
                text.get("prompt"), text.get("api_secret"), text.get("async_mode"),
                text.containsKey("avatar_id") ? text.get("avatar_id") : text.get("agent_id"),
                image, text.get("avatar_image_url"), null, text.get("mode"));
    }

    private LaunchForm readJson(InputStream body) throws IOException {
        JsonNode root = json.read(body);
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        Map<String, String> fields = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!JSON_FIELDS.contains(field.getKey()) || field.getValue().isNull()) {
                continue;
            }
            JsonNode value = field.getValue();
            if (field.getKey().equals("async_mode") && value.isBoolean()) {
                fields.put("async_mode", Boolean.toString(value.booleanValue()));
            } else if (value.isTextual()) {
                // why: as in multipart, every text field but the image is bounded (api_secret, avatar_id, ...)
                if (!field.getKey().equals("image") && value.textValue().length() > MAX_TEXT_FIELD_BYTES) {
                    throw ApiException.tooLarge(field.getKey() + " is over " + MAX_TEXT_FIELD_BYTES + " bytes");
                }
                fields.put(field.getKey(), value.textValue());
            } else {
                throw ApiException.badRequest(field.getKey() + " must be a string");
            }
        }
        String image = fields.get("image");
        if (image != null && image.length() > maxImageBytes * 4 / 3 + 4 + 64) {
            throw ApiException.tooLarge("image is over MAX_IMAGE_BYTES (" + maxImageBytes + " bytes)");
        }
        return new LaunchForm(fields.get("livekit_url"), fields.get("livekit_token"), fields.get("room_name"),
                fields.get("prompt"), fields.get("api_secret"), fields.get("async_mode"),
                fields.containsKey("agent_id") ? fields.get("agent_id") : fields.get("avatar_id"),
                null, fields.get("avatar_image_url"), image, fields.get("mode"));
    }
}
