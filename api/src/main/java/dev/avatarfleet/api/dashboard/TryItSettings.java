package dev.avatarfleet.api.dashboard;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The dashboard's "try it" page: the LiveKit server it starts avatars in (a dev room server, say) and that
 * server's key and secret, with which the API node mints the page's and the avatar's tokens. Unset: the page
 * says try-it is off and {@code POST /try/session} answers 404.
 *
 * @param livekitUrl {@link #TRY_LIVEKIT_URL}, or null when try-it is off
 * @param apiKey     {@link #TRY_LIVEKIT_API_KEY}
 * @param apiSecret  {@link #TRY_LIVEKIT_API_SECRET} (never logged nor shown)
 */
public record TryItSettings(URI livekitUrl, String apiKey, String apiSecret) {

    public static final Setting<URI> TRY_LIVEKIT_URL = Setting.url("TRY_LIVEKIT_URL", null, Set.of("ws", "wss", "http", "https"))
            .readBy(Node.API).documentedDefault("(unset: try-it off)")
            .means("the LiveKit server the dashboard's try-it page starts avatars in (e.g. the dev room server `ws://HOST:7880`);"
                    + " its address as browsers and workers reach it");
    public static final Setting<String> TRY_LIVEKIT_API_KEY = Setting.text("TRY_LIVEKIT_API_KEY", "devkey")
            .readBy(Node.API).means("the key of that server that signs the try-it page's tokens");
    public static final Setting<String> TRY_LIVEKIT_API_SECRET = Setting.text("TRY_LIVEKIT_API_SECRET", null)
            .readBy(Node.API).documentedDefault("(unset: try-it off)").means("that key's secret (HS256)");

    /** Every setting of this record, in the README's order. */
    public static final List<Setting<?>> SETTINGS = List.of(TRY_LIVEKIT_URL, TRY_LIVEKIT_API_KEY, TRY_LIVEKIT_API_SECRET);

    public static TryItSettings fromEnvironment(Env env) {
        return new TryItSettings(env.get(TRY_LIVEKIT_URL), env.get(TRY_LIVEKIT_API_KEY), env.get(TRY_LIVEKIT_API_SECRET));
    }

    /** Whether the try-it page can start avatars. */
    public boolean enabled() {
        return livekitUrl != null && apiKey != null && !apiKey.isBlank() && apiSecret != null && !apiSecret.isBlank();
    }

    @Override
    public String toString() {
        return "TryItSettings[livekitUrl=" + livekitUrl + ", apiKey=" + apiKey + ", apiSecret=" + (apiSecret == null ? "unset" : "***") + "]";
    }
}
