package dev.avatarfleet.worker.livekit;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The signalling addresses of one LiveKit server, from the launch's {@code livekit_url}
 * (ws, wss, http or https; http(s) becomes ws(s)), with an optional path prefix kept.
 */
public record LiveKitUrl(URI base) {

    /** Signalling protocol version we speak (LiveKit's current one). */
    public static final int PROTOCOL = 17;
    /** Peer protocol we advertise: 0, so peers send RPC v1 packets and legacy data streams. */
    public static final int CLIENT_PROTOCOL = 0;
    /** What we call ourselves in {@code sdk}/{@code version}; unknown names read as SDK UNKNOWN. */
    public static final String SDK = "java";
    public static final String VERSION = "0.1.0";

    /**
     * @throws IllegalArgumentException when the URL is not an absolute ws/wss/http/https URL with a host
     */
    public static LiveKitUrl parse(String url) {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw new IllegalArgumentException("livekit_url is empty or too long");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("livekit_url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        String ws = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new IllegalArgumentException("livekit_url must be ws, wss, http or https, was '" + scheme + "'");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("livekit_url has no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new LiveKitUrl(new URI(ws, null, uri.getHost(), uri.getPort(), path.isEmpty() ? null : path, null, null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("livekit_url is not usable: " + e.getReason());
        }
    }

    /** The v0 (dual peer connection) join URL. */
    public URI join() {
        return rtc("/rtc", joinParams(null));
    }

    /** The URL of a resume of participant {@code sid}. */
    public URI resume(String sid) {
        Map<String, String> params = joinParams(sid);
        return rtc("/rtc", params);
    }

    /** The HTTP URL that explains a refused join with a status and a text. */
    public URI validate() {
        URI rtc = rtc("/rtc/validate", joinParams(null));
        String scheme = "wss".equals(rtc.getScheme()) ? "https" : "http";
        return URI.create(scheme + rtc.toString().substring(rtc.getScheme().length()));
    }

    /** host:port, for messages. */
    public String authority() {
        return base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");
    }

    private static Map<String, String> joinParams(String resumeSid) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("protocol", Integer.toString(PROTOCOL));
        p.put("client_protocol", Integer.toString(CLIENT_PROTOCOL));
        p.put("auto_subscribe", "0");
        p.put("sdk", SDK);
        p.put("version", VERSION);
        p.put("os", System.getProperty("os.name", "linux").toLowerCase());
        if (resumeSid != null) {
            p.put("reconnect", "1");
            p.put("sid", resumeSid);
        }
        return p;
    }

    private URI rtc(String suffix, Map<String, String> params) {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + suffix + "?" + query);
    }
}
