package dev.avatarfleet.api.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.avatarfleet.api.ApiRouting;
import dev.avatarfleet.api.TestImages;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.api.image.AvatarImageCheck;
import dev.avatarfleet.api.image.DownloadTargetGuard;
import dev.avatarfleet.api.image.ImageDownloader;
import dev.avatarfleet.api.image.ImageResolver;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.testkit.MultipartBody;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal of {@code POST /launch}, in process (no network but 127.0.0.1 for the download
 * cases, no storage): the right status, a JSON reason, and the intake never reached. The requests
 * are the bitHuman plugin's (multipart in its field order with a Bearer header; JSON with an
 * {@code api-secret} header).
 */
@RoutingTest
class LaunchValidationRoutingTest {
    static final String KEY = "test-key";
    static final long MAX_UPLOAD = 256 * 1024;
    static final long MAX_IMAGE = 128 * 1024;
    static final List<ValidLaunch> ADMITTED = new ArrayList<>();
    static HttpServer images;
    static final byte[] JPEG = TestImages.jpeg(64, 64);

    private final DirectClient client;

    LaunchValidationRoutingTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) throws Exception {
        images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        images.createContext("/face.jpg", ex -> {
            ex.sendResponseHeaders(200, JPEG.length);
            ex.getResponseBody().write(JPEG);
            ex.close();
        });
        images.createContext("/text", ex -> {
            byte[] b = "hello, not an image".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        images.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        images.createContext("/huge", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked, no length: the cap must act while streaming
            byte[] chunk = new byte[16 * 1024];
            for (int i = 0; i < 64; i++) {
                ex.getResponseBody().write(chunk);
            }
            ex.close();
        });
        images.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        images.createContext("/ftp", ex -> {
            ex.getResponseHeaders().add("Location", "ftp://127.0.0.1/face.jpg");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        images.createContext("/slow", ex -> {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        images.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        images.start();
        ImageDownloader downloader = new ImageDownloader(Duration.ofSeconds(1), Duration.ofMillis(3000), 2, MAX_IMAGE,
                // why: the test's image server is on 127.0.0.1; the guard itself has its own test
                new DownloadTargetGuard(true));
        ImageResolver resolver = new ImageResolver(downloader,
                new AvatarImageCheck(new ImageLimits(MAX_IMAGE, 4_000_000, 4096)));
        LaunchIntake intake = (launch, image) -> {
            synchronized (ADMITTED) {
                ADMITTED.add(launch);
            }
            return new LaunchIntake.Admitted("t-1", launch.roomName(), "pending", false);
        };
        dev.avatarfleet.api.access.AccessFilter access = dev.avatarfleet.api.TestAccess.filter(List.of(KEY));
        LaunchService launch = new LaunchService(dev.avatarfleet.api.TestAccess.gate(access), dev.avatarfleet.api.TestAccess.FINGERPRINTS, new LaunchFormReader(MAX_UPLOAD, MAX_IMAGE),
                new LaunchValidator(Clock.systemUTC(), MAX_IMAGE), resolver, intake,
                (id, timeout) -> Map.of("task_id", id, "status", "completed"), Duration.ofSeconds(1), null);
        ApiRouting.routing(routing, access, List.of(launch));
    }

    @AfterAll
    static void stopImages() {
        images.stop(0);
    }

    @BeforeEach
    void clear() {
        synchronized (ADMITTED) {
            ADMITTED.clear();
        }
    }

    String imageUrl(String path) {
        return "http://127.0.0.1:" + images.getAddress().getPort() + path;
    }

    // ---- the accepted shapes (so the refusals below are refusals of otherwise good requests)

    @Test
    void pluginMultipartIsAccepted() {
        MultipartBody body = pluginMultipart("room-a", TestTokens.avatar("room-a", "bithuman-avatar-agent"))
                .file("avatar_image", "avatar.jpg", "image/jpeg", JPEG);
        JsonNode reply = expect(multipart(body, "Bearer " + KEY), 200);
        assertEquals("pending", reply.get("status").asText());
        assertEquals("t-1", reply.get("task_id").asText());
        assertEquals("room-a", reply.get("room_name").asText());
        assertEquals(1, ADMITTED.size());
        assertEquals("bithuman-avatar-agent", ADMITTED.getFirst().token().identity());
    }

    @Test
    void pluginJsonWithApiSecretHeaderIsAccepted() {
        String json = pluginJson("room-j", TestTokens.avatar("room-j", "bithuman-avatar-agent"),
                Base64.getEncoder().encodeToString(JPEG));
        HttpClientResponse res = client.method(Method.POST).path("/launch")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.create("api-secret"), KEY)
                .submit(json.getBytes(StandardCharsets.UTF_8));
        expect(res, 200);
        assertEquals(1, ADMITTED.size());
    }

    @Test
    void imageUrlAndDefaultImageAreAccepted() {
        expect(multipart(pluginMultipart("r", TestTokens.avatar("r", "a")).field("avatar_image_url", imageUrl("/face.jpg")),
                "Bearer " + KEY), 200);
        expect(multipart(pluginMultipart("r", TestTokens.avatar("r", "a")).field("api_secret", KEY), null), 200);
        assertEquals(2, ADMITTED.size());
    }

    @Test
    void syncModeAnswersWithTheTaskAtItsEnd() {
        JsonNode reply = expect(multipart(pluginMultipart("r", TestTokens.avatar("r", "a")).field("async_mode", "false"),
                "Bearer " + KEY), 200);
        assertEquals("completed", reply.get("status").asText());
        // the plugin's JSON mode carries the choice only in its api_url: /launch?async=false
        HttpClientResponse res = client.method(Method.POST).path("/launch").queryParam("async", "false")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.create("api-secret"), KEY)
                .submit(pluginJson("r", TestTokens.avatar("r", "a"), null).getBytes(StandardCharsets.UTF_8));
        assertEquals("completed", expect(res, 200).get("status").asText());
        assertEquals(false, ADMITTED.getLast().asyncMode());
    }

    // ---- 400

    @Test
    void missingFieldsAre400() {
        String token = TestTokens.avatar("r", "a");
        refused(multipart(new MultipartBody().field("livekit_token", token).field("room_name", "r"), "Bearer " + KEY), 400, "livekit_url");
        refused(multipart(new MultipartBody().field("livekit_url", "ws://h:7880").field("room_name", "r"), "Bearer " + KEY), 400, "livekit_token");
        refused(multipart(new MultipartBody().field("livekit_url", "ws://h:7880").field("livekit_token", token), "Bearer " + KEY), 400, "room_name");
        refused(json("{\"livekit_url\":\"ws://h:7880\",\"room_name\":\"r\"}"), 400, "livekit_token");
    }

    @Test
    void malformedBodiesAre400() {
        refused(json("{\"livekit_url\": "), 400, "JSON");
        refused(json("[1,2]"), 400, "JSON object");
        refused(json("{\"livekit_url\":7880,\"livekit_token\":\"x\",\"room_name\":\"r\"}"), 400, "livekit_url must be a string");
        HttpClientResponse res = client.method(Method.POST).path("/launch")
                .header(HeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=xyz")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + KEY)
                .submit("--xyz\r\nContent-Disposition: form-data; name=\"room_name\"\r\n\r\nr".getBytes(StandardCharsets.UTF_8));
        refused(res, 400, "closing boundary");
        HttpClientResponse noBoundary = client.method(Method.POST).path("/launch")
                .header(HeaderNames.CONTENT_TYPE, "multipart/form-data")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + KEY)
                .submit("x".getBytes(StandardCharsets.UTF_8));
        refused(noBoundary, 400, "boundary");
    }

    @Test
    void urlSchemeMustBeWsWssHttpOrHttps() {
        for (String url : List.of("ftp://h:7880", "file:///etc/passwd", "h:7880", "ws://", "not a url")) {
            refused(multipart(withUrl(url), "Bearer " + KEY), 400, "livekit_url");
        }
        for (String url : List.of("ws://h:7880", "wss://h", "http://h:7880", "https://h")) {
            expect(multipart(withUrl(url), "Bearer " + KEY), 200);
        }
    }

    @Test
    void tokensThatAreNotLiveKitJwtsAre400() {
        String b64 = "eyJhbGciOiJIUzI1NiJ9";
        List<String> bad = List.of(
                "not-a-jwt",
                "a.b",
                "a.b.c.d",
                "%%%." + b64 + ".sig",
                Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"sub\":\"a\",\"video\":{\"roomJoin\":true,\"room\":\"r\"}}".getBytes()) + ".x",
                b64 + "." + Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes()) + ".x",
                TestTokens.withVideo("a", Map.of("room", "r")),
                TestTokens.withVideo("a", Map.of("roomJoin", false, "room", "r")),
                TestTokens.withVideo("a", Map.of("roomJoin", true)));
        for (String token : bad) {
            refused(multipart(pluginMultipart("r", token), "Bearer " + KEY), 400, "livekit_token");
        }
    }

    @Test
    void tokenForAnotherRoomIs400() {
        refused(multipart(pluginMultipart("room-b", TestTokens.avatar("room-a", "a")), "Bearer " + KEY), 400, "room-a");
    }

    @Test
    void expiredTokenIs400() {
        String expired = TestTokens.token("r", "a", Instant.now().minusSeconds(60));
        JsonNode body = refused(multipart(pluginMultipart("r", expired), "Bearer " + KEY), 400, "expired");
        assertEquals("token_expired", body.get("error").asText());
    }

    @Test
    void invalidImagesAre400() {
        String token = TestTokens.avatar("r", "a");
        refused(multipart(pluginMultipart("r", token).file("avatar_image", "avatar.jpg", "image/jpeg",
                "GIF89a not really".getBytes()), "Bearer " + KEY), 400, "invalid image");
        byte[] truncated = java.util.Arrays.copyOf(JPEG, JPEG.length / 3);
        refused(multipart(pluginMultipart("r", token).file("avatar_image", "avatar.jpg", "image/jpeg", truncated),
                "Bearer " + KEY), 400, "invalid image");
        refused(json(pluginJson("r", token, "!!!not base64!!!")), 400, "base64");
        refused(json(pluginJson("r", token, Base64.getEncoder().encodeToString("plain text".getBytes()))), 400, "invalid image");
        refused(multipart(pluginMultipart("r", token).field("avatar_image_url", "ftp://127.0.0.1/x.jpg"), "Bearer " + KEY),
                400, "http or https");
        refused(multipart(pluginMultipart("r", token).file("avatar_image", "avatar.jpg", "image/jpeg", JPEG)
                .field("avatar_image_url", imageUrl("/face.jpg")), "Bearer " + KEY), 400, "not both");
    }

    @Test
    void decompressionBombIsRefusedBeforeDecoding() {
        byte[] png = TestImages.png(8, 8);
        // why: rewrite the IHDR size to 60000x60000; the header check must refuse it, not the decoder
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(60000).putInt(60000);
        refused(multipart(pluginMultipart("r", TestTokens.avatar("r", "a")).file("avatar_image", "a.png", "image/png", png),
                "Bearer " + KEY), 400, "invalid image");
    }

    @Test
    void failedDownloadsAre400() {
        String token = TestTokens.avatar("r", "a");
        for (String path : List.of("/missing", "/text", "/loop", "/ftp", "/slow")) {
            JsonNode body = refused(multipart(pluginMultipart("r", token).field("avatar_image_url", imageUrl(path)), "Bearer " + KEY),
                    400, switch (path) {
                        case "/text" -> "invalid image";
                        case "/missing" -> "image download failed: HTTP 404";
                        case "/loop" -> "image download failed: more than 2 redirects";
                        case "/ftp" -> "image download failed: redirect to a non-http(s) URL";
                        default -> "image download failed: timed out after 3000 ms";
                    });
            assertFalse(body.get("reason").asText().contains("Exception"), body.toString());
        }
        int closed = dev.avatarfleet.testkit.FreePorts.next();
        refused(multipart(pluginMultipart("r", token).field("avatar_image_url", "http://127.0.0.1:" + closed + "/a.jpg"),
                "Bearer " + KEY), 400, "image download failed: connection refused");
    }

    @Test
    void jsonBoundsAreClearRefusals() {
        String token = TestTokens.avatar("r", "a");
        String deep = "[".repeat(20) + "]".repeat(20);
        refused(json("{\"livekit_url\":" + deep + "}"), 400, "JSON limit");
        refused(json("{\"" + "n".repeat(300) + "\":1}"), 400, "JSON limit");
        refused(json("{\"x\":" + "9".repeat(100) + "}"), 400, "JSON limit");
        refused(json("{\"room_name\":\"a\",\"room_name\":\"b\"}"), 400, "Duplicate field");
        StringBuilder manyFields = new StringBuilder("{");
        for (int i = 0; i < 6000; i++) {
            manyFields.append("\"f").append(i).append("\":1,");
        }
        refused(json(manyFields.append("\"z\":1}").toString()), 400, "JSON limit");
        String oversizedSecret = pluginJson("r", token, null).replace("}", ",\"api_secret\":\"" + "s".repeat(70_000) + "\"}");
        refused(json(oversizedSecret), 413, "api_secret is over 65536 bytes");
    }

    @Test
    void aJsonBodyInAnOddUtf32ByteOrderIs400() {
        // found by JsonLaunchFuzzTest: Jackson's encoding guess threw an I/O error, answered as a 500
        byte[] body = {0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
        HttpClientResponse res = client.method(Method.POST).path("/launch")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.create("api-secret"), KEY)
                .submit(body);
        refused(res, 400, "not valid JSON");
    }

    @Test
    void fieldAndPartBoundsAreClearRefusals() {
        String token = TestTokens.avatar("r", "a");
        refused(multipart(pluginMultipart("r", token).field("prompt", "p".repeat(70_000)), "Bearer " + KEY), 413,
                "prompt is over 65536 bytes");
        MultipartBody many = pluginMultipart("r", token);
        for (int i = 0; i < 40; i++) {
            many.field("extra" + i, "x");
        }
        refused(multipart(many, "Bearer " + KEY), 400, "more than 32 parts");
        String longRoom = "r".repeat(257);
        refused(multipart(pluginMultipart(longRoom, TestTokens.avatar(longRoom, "a")), "Bearer " + KEY), 400,
                "room_name must be 1 to 256 characters");
        refused(multipart(pluginMultipart("r", "a".repeat(LiveKitToken.MAX_TOKEN_CHARS + 1)), "Bearer " + KEY), 400,
                "livekit_token is longer than");
    }

    // ---- 401

    @Test
    void wrongOrMissingKeyIs401() {
        String token = TestTokens.avatar("r", "a");
        refused(multipart(pluginMultipart("r", token), null), 401, "API key");
        refused(multipart(pluginMultipart("r", token), "Bearer nope"), 401, "not valid");
        refused(multipart(pluginMultipart("r", token).field("api_secret", "nope"), null), 401, "not valid");
        HttpClientResponse res = client.method(Method.POST).path("/launch")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.create("api-secret"), "nope")
                .submit(pluginJson("r", token, null).getBytes(StandardCharsets.UTF_8));
        refused(res, 401, "not valid");
    }

    // ---- 413 and 415

    @Test
    void oversizedImageAndBodyAre413() {
        String token = TestTokens.avatar("r", "a");
        byte[] big = new byte[(int) MAX_IMAGE + 1];
        refused(multipart(pluginMultipart("r", token).file("avatar_image", "a.jpg", "image/jpeg", big), "Bearer " + KEY),
                413, "MAX_IMAGE_BYTES");
        refused(multipart(pluginMultipart("r", token).file("other", "x.bin", "application/octet-stream", new byte[(int) MAX_UPLOAD]),
                "Bearer " + KEY), 413, "MAX_UPLOAD_BYTES");
        refused(json(pluginJson("r", token, Base64.getEncoder().encodeToString(big))), 413, "MAX_");
        refused(multipart(pluginMultipart("r", token).field("avatar_image_url", imageUrl("/huge")), "Bearer " + KEY),
                413, "MAX_IMAGE_BYTES");
    }

    @Test
    void otherContentTypesAre415() {
        HttpClientResponse res = client.method(Method.POST).path("/launch")
                .header(HeaderNames.CONTENT_TYPE, "text/plain")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + KEY)
                .submit("hello".getBytes(StandardCharsets.UTF_8));
        refused(res, 415, "multipart/form-data or application/json");
    }

    // ---- 404 and 405

    @Test
    void unknownRouteIs404AndWrongMethodIs405() {
        // why: with keys configured the door is before the routes: without a key even an unknown route is a 401
        refused(client.method(Method.GET).path("/nope").request(), 401, "API key required");
        JsonNode notFound = refused(client.method(Method.GET).path("/nope").header(HeaderNames.AUTHORIZATION, "Bearer " + KEY).request(),
                404, "no route");
        assertEquals("not_found", notFound.get("error").asText());
        HttpClientResponse get = client.method(Method.GET).path("/launch").header(HeaderNames.AUTHORIZATION, "Bearer " + KEY).request();
        assertEquals("POST", get.headers().first(HeaderNames.create("Allow")).orElse(""));
        refused(get, 405, "not allowed");
    }

    // ---- helpers

    static MultipartBody pluginMultipart(String room, String token) {
        // why: the plugin's field order (livekit/agents avatar.py _send_formdata_request)
        return new MultipartBody().field("livekit_url", "ws://127.0.0.1:7880").field("livekit_token", token).field("room_name", room);
    }

    static MultipartBody withUrl(String url) {
        return new MultipartBody().field("livekit_url", url).field("livekit_token", TestTokens.avatar("r", "a")).field("room_name", "r");
    }

    static String pluginJson(String room, String token, String image) {
        StringBuilder s = new StringBuilder("{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + token
                + "\",\"room_name\":\"" + room + "\",\"mode\":\"gpu\"");
        if (image != null) {
            s.append(",\"image\":\"").append(image).append('"');
        }
        return s.append('}').toString();
    }

    HttpClientResponse multipart(MultipartBody body, String authorization) {
        var req = client.method(Method.POST).path("/launch").header(HeaderNames.CONTENT_TYPE, body.contentType());
        if (authorization != null) {
            req.header(HeaderNames.AUTHORIZATION, authorization);
        }
        return req.submit(body.build());
    }

    HttpClientResponse json(String json) {
        return client.method(Method.POST).path("/launch")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.create("api-secret"), KEY)
                .submit(json.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode expect(HttpClientResponse res, int status) {
        try (res) {
            String text = res.as(String.class);
            assertEquals(status, res.status().code(), text);
            assertTrue(res.headers().contentType().map(ct -> ct.text().startsWith("application/json")).orElse(false), text);
            return JsonReply.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode refused(HttpClientResponse res, int status, String reasonContains) {
        JsonNode body = expect(res, status);
        String reason = body.path("reason").asText();
        assertTrue(reason.contains(reasonContains), "reason \"" + reason + "\" should mention \"" + reasonContains + "\"");
        synchronized (ADMITTED) {
            assertTrue(ADMITTED.isEmpty(), "a refused launch reached the intake");
        }
        return body;
    }
}
