package dev.avatarfleet.api.fuzz;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.avatarfleet.testkit.MultipartBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Writes the fuzz targets' seed inputs into src/test/resources (run by hand when the seeds change:
 * {@code java -cp <api test classpath> dev.avatarfleet.api.fuzz.FuzzSeeds api/src/test/resources}).
 * Tokens are valid at {@link LaunchFuzzing#CLOCK} and signed with a made-up secret (the API never checks it).
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0], "dev", "avatarfleet", "api", "fuzz");
        String token = token("fuzz-room", "avatar-1");
        String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + token + "\",\"room_name\":\"fuzz-room\","
                + "\"mode\":\"gpu\"";
        byte[] png = dev.avatarfleet.api.TestImages.png(8, 8);
        write(root.resolve("JsonLaunchFuzzTestInputs/jsonLaunch/plugin-default-avatar.json"), (json + "}").getBytes(StandardCharsets.UTF_8));
        write(root.resolve("JsonLaunchFuzzTestInputs/jsonLaunch/plugin-base64-image.json"),
                (json + ",\"image\":\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\"}").getBytes(StandardCharsets.UTF_8));
        write(root.resolve("JsonLaunchFuzzTestInputs/jsonLaunch/plugin-image-url.json"),
                (json + ",\"image\":\"http://0x7f.1:8080/a.jpg\",\"agent_id\":\"A1\",\"async_mode\":false}").getBytes(StandardCharsets.UTF_8));
        MultipartBody form = new MultipartBody("fuzzboundary").field("livekit_url", "ws://127.0.0.1:7880").field("livekit_token", token)
                .field("room_name", "fuzz-room").field("prompt", "hello").field("async_mode", "true");
        write(root.resolve("MultipartLaunchFuzzTestInputs/multipartLaunch/plugin-fields"),
                MultipartLaunchFuzzTest.input("fuzzboundary", form.build()));
        MultipartBody upload = new MultipartBody("\"quoted b\"".replace("\"", "")).field("livekit_url", "wss://example.com")
                .field("livekit_token", token).field("room_name", "fuzz-room").file("avatar_image", "a.png", "image/png", png);
        write(root.resolve("MultipartLaunchFuzzTestInputs/multipartLaunch/plugin-upload"),
                MultipartLaunchFuzzTest.input("\"quoted b\"", upload.build()));
        write(root.resolve("LiveKitTokenFuzzTestInputs/token/plugin-token"), ("fuzz-room\n" + token).getBytes(StandardCharsets.UTF_8));
        write(root.resolve("ImageHeaderFuzzTestInputs/header/small.png"), png);
        write(root.resolve("ImageHeaderFuzzTestInputs/header/small.jpg"), dev.avatarfleet.api.TestImages.jpeg(8, 8));
    }

    static String token(String room, String identity) {
        Instant now = LaunchFuzzing.CLOCK.instant();
        return JWT.create().withIssuer("devkey").withSubject(identity).withClaim("kind", "agent")
                .withNotBefore(now.minusSeconds(5)).withExpiresAt(now.plusSeconds(3600 * 24 * 365))
                .withClaim("video", Map.of("roomJoin", true, "room", room, "canPublish", true))
                .withClaim("attributes", Map.of("lk.publish_on_behalf", "agent-1"))
                .sign(Algorithm.HMAC256("fuzz-seed-secret"));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
