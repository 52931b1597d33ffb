package dev.avatarfleet.api.launch;

/**
 * The fields of one {@code POST /launch}, as read from either body format and before any check.
 * Multipart fields keep the seed's names; the plugin's JSON body maps {@code image} to
 * {@link #imageValue} (a URL or base64) and {@code agent_id} to {@link #avatarId}.
 *
 * @param livekitUrl   livekit_url
 * @param livekitToken livekit_token
 * @param roomName     room_name
 * @param prompt       prompt (multipart only), or null
 * @param apiSecret    api_secret field (multipart), or null
 * @param asyncMode    async_mode as sent ("true"/"false"...), or null for the default (true)
 * @param avatarId     avatar_id (multipart) / agent_id (JSON), or null
 * @param imageUpload  avatar_image file bytes (multipart), or null
 * @param imageUrl     avatar_image_url (multipart), or null
 * @param imageValue   image (JSON): an http(s) URL or base64, or null
 * @param mode         mode (JSON: "gpu" or "cpu"), or null
 */
public record LaunchForm(
        String livekitUrl,
        String livekitToken,
        String roomName,
        String prompt,
        String apiSecret,
        String asyncMode,
        String avatarId,
        byte[] imageUpload,
        String imageUrl,
        String imageValue,
        String mode) {

    /** The same form with {@code async_mode} set. */
    public LaunchForm withAsyncMode(String value) {
        return new LaunchForm(livekitUrl, livekitToken, roomName, prompt, apiSecret, value, avatarId, imageUpload, imageUrl,
                imageValue, mode);
    }
}
