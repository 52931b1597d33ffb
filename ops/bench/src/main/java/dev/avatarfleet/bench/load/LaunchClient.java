package dev.avatarfleet.bench.load;

import dev.avatarfleet.devroom.DevRoomTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /launch} as its callers send it: the bitHuman plugin's JSON request (header {@code api-secret}, the
 * image as base64 of a JPEG, or no image) or the seed's {@code curl -F} multipart upload ({@code avatar_image} as a
 * file part). Each launch gets a room of its own (a launch is de-duplicated by room and identity) and a LiveKit token
 * for that room, minted before the timed part starts. Answers the outcome's label: the status, and for an error the
 * JSON error code ({@code 503 at_capacity}), or {@code timeout}.
 */
public final class LaunchClient {
    /** The payload of a launch. */
    public enum Payload { NONE, BASE64, MULTIPART }

    private static final Pattern ERROR_CODE = Pattern.compile("\"(?:error|code)\"\\s*:\\s*\"([a-z_]+)\"");
    private static final String BOUNDARY = "----avatarfleetbench7c4f";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<URI> apis;
    private final String livekitUrl;
    private final DevRoomTokens tokens;
    private final Duration timeout;
    /** The base64 of each image, by identity (an array's hash is its identity). */
    private final java.util.Map<byte[], byte[]> base64 = new java.util.concurrent.ConcurrentHashMap<>();

    public LaunchClient(List<URI> apis, String livekitUrl, String livekitKey, String livekitSecret, Duration timeout) {
        this.apis = List.copyOf(apis);
        this.livekitUrl = livekitUrl;
        this.tokens = DevRoomTokens.create(livekitKey, livekitSecret);
        this.timeout = timeout;
    }

    /** A launch ready to send: built before the clock starts, so the load generator's own work is not timed. */
    public record Prepared(HttpRequest request) {
    }

    /** A launch into {@code room} with {@code image} (a JPEG, or null for none), sent to API node {@code i % nodes}. */
    public Prepared prepare(int i, String room, Payload payload, byte[] image) {
        String token = tokens.participant(room, "bithuman-avatar-agent").ttl(Duration.ofHours(1)).mint();
        URI api = apis.get(Math.floorMod(i, apis.size())).resolve("/launch");
        HttpRequest.Builder b = HttpRequest.newBuilder(api).timeout(timeout);
        return new Prepared(switch (payload) {
            case NONE, BASE64 -> {
                String json = "{\"livekit_url\":\"" + livekitUrl + "\",\"livekit_token\":\"" + token + "\",\"room_name\":\"" + room + "\"";
                HttpRequest.BodyPublisher body;
                if (payload == Payload.BASE64) {
                    // why: the plugin's _send_json_request: mode gpu when an image is given, the JPEG as base64; the
                    // base64 bytes are made once and shared by every request (thousands are prepared before a run)
                    byte[] b64 = base64.computeIfAbsent(image, Base64.getEncoder()::encode);
                    body = sized(List.of((json + ",\"mode\":\"gpu\",\"image\":\"").getBytes(StandardCharsets.UTF_8),
                            b64, "\"}".getBytes(StandardCharsets.UTF_8)));
                } else {
                    body = HttpRequest.BodyPublishers.ofString(json + "}");
                }
                yield b.header("Content-Type", "application/json").header("api-secret", "bench").POST(body).build();
            }
            case MULTIPART -> {
                // why: the seed's curl -F: the three fields, then the photo as the avatar_image file part
                String head = field("livekit_url", livekitUrl) + field("livekit_token", token) + field("room_name", room)
                        + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"avatar_image\"; filename=\"photo.jpg\"\r\n"
                        + "Content-Type: image/jpeg\r\n\r\n";
                String tail = "\r\n--" + BOUNDARY + "--\r\n";
                yield b.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(sized(List.of(head.getBytes(StandardCharsets.UTF_8), image,
                                tail.getBytes(StandardCharsets.UTF_8)))).build();
            }
        });
    }

    /** The parts as one body with its Content-Length, as curl and the plugin send it (not chunked). */
    private static HttpRequest.BodyPublisher sized(List<byte[]> parts) {
        long length = parts.stream().mapToLong(p -> p.length).sum();
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(parts), length);
    }

    private static String field(String name, String value) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static final Pattern TASK_ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");

    /** Sends it and answers the outcome's label ("200", "503 at_capacity", "timeout", "error ConnectException"). */
    public String send(Prepared launch) {
        return send(launch, null);
    }

    /** The same, and the task a 200 created noted in {@code created} (for {@link TaskSweep}), when given. */
    public String send(Prepared launch, TaskSweep created) {
        try {
            HttpResponse<String> r = http.send(launch.request(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                if (created != null) {
                    Matcher id = TASK_ID.matcher(r.body());
                    created.add(id.find() ? id.group(1) : null);
                }
                return "200";
            }
            Matcher m = ERROR_CODE.matcher(r.body());
            return r.statusCode() + (m.find() ? " " + m.group(1) : "");
        } catch (HttpTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "error " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unfinished";
        }
    }

    /** A GET, timed by the caller: its status, body size, and the body's {@code total} field when it has one. */
    public record Got(int status, long bytes, long total) {
    }

    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

    public Got get(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        byte[] body = r.body();
        // why: the total follows the page; read it from the body's tail rather than parsing megabytes of JSON
        String tail = new String(body, Math.max(0, body.length - 4096), Math.min(4096, body.length), StandardCharsets.UTF_8);
        Matcher m = TOTAL.matcher(tail);
        return new Got(r.statusCode(), body.length, m.find() ? Long.parseLong(m.group(1)) : -1);
    }
}
