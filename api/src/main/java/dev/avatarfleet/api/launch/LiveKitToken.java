package dev.avatarfleet.api.launch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.http.UntrustedJson;
import dev.avatarfleet.common.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of a LiveKit access token the API checks before accepting a launch. The signature is
 * the LiveKit server's business (the API does not hold the room server's secret); here the token
 * must be shaped like a LiveKit JWT, not expired, grant joining exactly {@code room_name}, and name
 * the avatar's identity in {@code sub}.
 *
 * @param identity the avatar participant identity ({@code sub})
 * @param room     the room of the {@code video} grant
 * @param expiresAtEpochSecond the {@code exp} claim, or 0 when the token has none
 */
public record LiveKitToken(String identity, String room, long expiresAtEpochSecond) {
    /** Tokens longer than this are refused before decoding (a LiveKit token is well under 4 KiB). */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** Clock skew tolerated on {@code nbf}. */
    public static final long NBF_LEEWAY_SECONDS = 60;
    // why: a payload is at most MAX_TOKEN_CHARS of base64url, so 3/4 of that decoded
    private static final UntrustedJson JSON = new UntrustedJson(MAX_TOKEN_CHARS, "it");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    // why: LiveKit signs with HMAC; an "alg":"none" or RS token cannot be a LiveKit room token
    private static final Set<String> HMAC_ALGS = Set.of("HS256", "HS384", "HS512");

    /**
     * Parses and checks {@code token} against {@code roomName}.
     *
     * @throws ApiException 400 with the reason when the token is not acceptable
     */
    public static LiveKitToken check(String token, String roomName, Clock clock) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw ApiException.badRequest("invalid_token", "livekit_token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !BASE64URL.matcher(parts[0]).matches() || !BASE64URL.matcher(parts[1]).matches()
                || !BASE64URL.matcher(parts[2]).matches()) {
            throw invalid("livekit_token is not a JWT (three base64url parts separated by dots)");
        }
        JsonNode header = decodeJson(parts[0], "header");
        JsonNode payload = decodeJson(parts[1], "payload");
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !HMAC_ALGS.contains(alg.asText())) {
            throw invalid("livekit_token header must name an HMAC algorithm (HS256), was " + (alg == null ? "none" : alg.toString()));
        }
        JsonNode video = payload.get("video");
        if (video == null || !video.isObject()) {
            throw invalid("livekit_token has no \"video\" grant");
        }
        JsonNode roomJoin = video.get("roomJoin");
        if (roomJoin == null || !roomJoin.isBoolean() || !roomJoin.booleanValue()) {
            throw invalid("livekit_token's video grant does not allow roomJoin");
        }
        JsonNode room = video.get("room");
        if (room == null || !room.isTextual() || room.asText().isEmpty()) {
            throw invalid("livekit_token's video grant names no room");
        }
        if (!room.asText().equals(roomName)) {
            throw ApiException.badRequest("room_mismatch",
                    "livekit_token grants room \"" + room.asText() + "\" but room_name is \"" + roomName + "\"");
        }
        JsonNode sub = payload.get("sub");
        if (sub == null || !sub.isTextual() || sub.asText().isBlank()) {
            throw invalid("livekit_token has no identity (\"sub\")");
        }
        long exp = 0;
        JsonNode expNode = payload.get("exp");
        if (expNode != null) {
            if (!expNode.isNumber()) {
                throw invalid("livekit_token's \"exp\" is not a number");
            }
            exp = expNode.asLong();
            if (exp <= clock.instant().getEpochSecond()) {
                throw ApiException.badRequest("token_expired", "livekit_token expired at " + claimTime(exp));
            }
        }
        JsonNode nbf = payload.get("nbf");
        // why: the avatar joins within seconds; a token that only becomes valid later would be refused by the room server
        if (nbf != null && nbf.isNumber() && nbf.asLong() > clock.instant().getEpochSecond() + NBF_LEEWAY_SECONDS) {
            throw invalid("livekit_token is not valid before " + claimTime(nbf.asLong()));
        }
        return new LiveKitToken(sub.asText(), room.asText(), exp);
    }

    /**
     * A claim's epoch second as an instant, or as the bare number when it lies outside the range an
     * {@link Instant} holds (a hostile token's {@code exp} of -1e300 reads as {@link Long#MIN_VALUE}).
     */
    static String claimTime(long epochSecond) {
        if (epochSecond < Instant.MIN.getEpochSecond() || epochSecond > Instant.MAX.getEpochSecond()) {
            return "epoch second " + epochSecond;
        }
        return Instant.ofEpochSecond(epochSecond).toString();
    }

    private static JsonNode decodeJson(String part, String what) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw invalid("livekit_token " + what + " is not base64url");
        }
        JsonNode node;
        try {
            node = JSON.read(new String(bytes, StandardCharsets.UTF_8));
        } catch (ApiException e) {
            throw invalid("livekit_token " + what + " is not JSON (" + e.reason() + ")");
        }
        if (node == null || !node.isObject()) {
            throw invalid("livekit_token " + what + " is not a JSON object");
        }
        return node;
    }

    private static ApiException invalid(String reason) {
        return ApiException.badRequest("invalid_token", reason);
    }
}
