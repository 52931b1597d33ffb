package dev.avatarfleet.api.launch;

import dev.avatarfleet.api.image.ImageSource;
import dev.avatarfleet.common.http.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link LaunchForm} field by field and turns it into a {@link ValidLaunch}, or refuses
 * it with a 400 naming the field. Needs no network and no storage, so a bad launch changes nothing.
 */
public final class LaunchValidator {
    private static final Set<String> LIVEKIT_SCHEMES = Set.of("ws", "wss", "http", "https");
    // why: LiveKit room names are free text, but a control character or a huge name is never legitimate
    private static final Pattern ROOM_NAME = Pattern.compile("[^\\p{Cntrl}]{1,256}");
    private static final int MAX_URL_CHARS = 2048;
    private static final int MAX_PROMPT_CHARS = 2000;
    private static final int MAX_AVATAR_ID_CHARS = 256;

    private final Clock clock;
    private final long maxImageBytes;

    public LaunchValidator(Clock clock, long maxImageBytes) {
        this.clock = clock;
        this.maxImageBytes = maxImageBytes;
    }

    /** Validates every field; throws 400 (or 413 for an oversized inline image). */
    public ValidLaunch validate(LaunchForm form) {
        String livekitUrl = required("livekit_url", form.livekitUrl());
        String token = required("livekit_token", form.livekitToken());
        String room = required("room_name", form.roomName());
        checkLiveKitUrl(livekitUrl);
        if (!ROOM_NAME.matcher(room).matches()) {
            throw ApiException.badRequest("room_name must be 1 to 256 characters with no control characters");
        }
        LiveKitToken parsed = LiveKitToken.check(token.trim(), room, clock);
        String prompt = form.prompt();
        if (prompt != null && prompt.length() > MAX_PROMPT_CHARS) {
            throw ApiException.badRequest("prompt is longer than " + MAX_PROMPT_CHARS + " characters");
        }
        String avatarId = form.avatarId() == null || form.avatarId().isBlank() ? null : form.avatarId().trim();
        if (avatarId != null && avatarId.length() > MAX_AVATAR_ID_CHARS) {
            throw ApiException.badRequest("avatar_id is longer than " + MAX_AVATAR_ID_CHARS + " characters");
        }
        if (form.mode() != null && !Set.of("gpu", "cpu").contains(form.mode().trim().toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest("mode must be \"gpu\" or \"cpu\"");
        }
        return new ValidLaunch(livekitUrl.trim(), token.trim(), parsed, room, prompt, asyncMode(form.asyncMode()),
                avatarId, imageSource(form), null, null);
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("missing_field", field + " is required");
        }
        return value;
    }

    private static void checkLiveKitUrl(String value) {
        URI uri = parseUrl("livekit_url", value.trim());
        if (uri.getScheme() == null || !LIVEKIT_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest("livekit_url must be a ws, wss, http or https URL, was \"" + shorten(value) + "\"");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiException.badRequest("livekit_url has no host: \"" + shorten(value) + "\"");
        }
    }

    static URI parseUrl(String field, String value) {
        if (value.length() > MAX_URL_CHARS) {
            throw ApiException.badRequest(field + " is longer than " + MAX_URL_CHARS + " characters");
        }
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest(field + " is not a valid URL: \"" + shorten(value) + "\"");
        }
    }

    private static boolean asyncMode(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ApiException.badRequest("async_mode must be true or false, was \"" + shorten(value) + "\"");
        };
    }

    private ImageSource imageSource(LaunchForm form) {
        int given = (form.imageUpload() != null ? 1 : 0) + (blank(form.imageUrl()) ? 0 : 1) + (blank(form.imageValue()) ? 0 : 1);
        if (given > 1) {
            throw ApiException.badRequest("give either avatar_image or avatar_image_url (or image), not both");
        }
        if (form.imageUpload() != null) {
            return new ImageSource.Upload(form.imageUpload());
        }
        if (!blank(form.imageUrl())) {
            return new ImageSource.Url(httpUrl("avatar_image_url", form.imageUrl().trim()));
        }
        if (!blank(form.imageValue())) {
            String value = form.imageValue().trim();
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                return new ImageSource.Url(httpUrl("image", value));
            }
            return new ImageSource.Inline(decodeBase64(value));
        }
        return new ImageSource.Default();
    }

    static URI httpUrl(String field, String value) {
        URI uri = parseUrl(field, value);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badRequest(field + " must be an http or https URL, was \"" + shorten(value) + "\"");
        }
        // why: the authority, not getHost(): URI has no host for 0x7f.1 or 127.1, which curl and browsers read as
        // 127.0.0.1; the download guard reads such hosts itself and refuses them as image download failures
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw ApiException.badRequest(field + " has no host: \"" + shorten(value) + "\"");
        }
        return uri;
    }

    private byte[] decodeBase64(String value) {
        String data = value;
        // why: a data URL is the common way to inline an image; its payload is the same strict base64
        if (data.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = data.indexOf(',');
            if (comma < 0 || !data.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw ApiException.badRequest("invalid_image", "image data URL must be base64 encoded");
            }
            data = data.substring(comma + 1);
        }
        if (data.length() / 4L * 3 > maxImageBytes + 3) {
            throw ApiException.tooLarge("image is over MAX_IMAGE_BYTES (" + maxImageBytes + " bytes)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_image", "image is neither an http(s) URL nor valid base64");
        }
        if (bytes.length > maxImageBytes) {
            throw ApiException.tooLarge("image is over MAX_IMAGE_BYTES (" + maxImageBytes + " bytes)");
        }
        return bytes;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String shorten(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 77) + "...";
    }
}
