package dev.avatarfleet.api.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.api.ApiRouting;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.api.image.AvatarImageCheck;
import dev.avatarfleet.api.image.DownloadTargetGuard;
import dev.avatarfleet.api.image.ImageDownloader;
import dev.avatarfleet.api.image.ImageResolver;
import dev.avatarfleet.api.launch.LaunchForm;
import dev.avatarfleet.api.launch.LaunchFormReader;
import dev.avatarfleet.api.launch.LaunchIntake;
import dev.avatarfleet.api.launch.LaunchService;
import dev.avatarfleet.api.launch.LaunchValidator;
import dev.avatarfleet.common.image.ImageLimits;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * What the launch fuzz targets share: the readers and the validator called directly (only an
 * {@link ApiException} may escape), and the whole {@code POST /launch} routing in process (never a
 * 5xx, always JSON). Time is fixed, so the seed tokens never expire; no image download ever connects.
 */
final class LaunchFuzzing {
    /** The fuzz targets' "now": the seed tokens were made to be valid then. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    static final long MAX_UPLOAD = 1 << 20;
    static final long MAX_IMAGE = 512 * 1024;

    private static final LaunchFormReader READER = new LaunchFormReader(MAX_UPLOAD, MAX_IMAGE);
    private static final LaunchValidator VALIDATOR = new LaunchValidator(CLOCK, MAX_IMAGE);
    private static DirectClient client;

    private LaunchFuzzing() {
    }

    /** Reads and validates a body; only the documented refusals may escape. */
    static void readAndValidate(String contentType, byte[] body) {
        try {
            LaunchForm form = READER.read(contentType, new ByteArrayInputStream(body));
            VALIDATOR.validate(form);
        } catch (ApiException refused) {
            assertTrue(refused.status().code() >= 400 && refused.status().code() < 500, refused.status() + " " + refused.reason());
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to read", e);
        }
    }

    private static final String FUZZ_KEY = "fuzz-target-key";

    /** Sends a body through the routing; the answer is JSON and never a 5xx. */
    static void throughRouting(String contentType, byte[] body) {
        try (HttpClientResponse res = client().method(Method.POST).path("/launch")
                .header(HeaderNames.CONTENT_TYPE, contentType).header(HeaderNames.AUTHORIZATION, "Bearer " + FUZZ_KEY).submit(body)) {
            int status = res.status().code();
            String text = res.as(String.class);
            assertTrue(status < 500, "POST /launch answered " + status + ": " + text);
            // why: a fuzzer stopped at the door would fuzz nothing
            assertTrue(status != 401, "the fuzzer's key was refused: " + text);
            assertTrue(text.startsWith("{"), "not JSON: " + text);
        }
    }

    private static synchronized DirectClient client() {
        if (client == null) {
            // why: a launch that passes every check reaches this intake, not a fleet; a download reaches no socket
            ImageDownloader downloader = new ImageDownloader(Duration.ofMillis(200), Duration.ofMillis(500), 2, MAX_IMAGE,
                    new DownloadTargetGuard(false), address -> {
                        throw new IllegalStateException("fuzzing connects nowhere");
                    });
            ImageResolver images = new ImageResolver(downloader, new AvatarImageCheck(new ImageLimits(MAX_IMAGE, 4_000_000, 4096)));
            LaunchIntake intake = (launch, image) -> new LaunchIntake.Admitted("t-fuzz", launch.roomName(), "pending", false);
            // why: a node with keys, as in production; the fuzzer's requests carry the key, so each one reaches the parsers
            dev.avatarfleet.api.access.AccessFilter access = dev.avatarfleet.api.TestAccess.filter(List.of(FUZZ_KEY));
            LaunchService launch = new LaunchService(dev.avatarfleet.api.TestAccess.gate(access), dev.avatarfleet.api.TestAccess.FINGERPRINTS, READER, VALIDATOR, images, intake,
                    (id, timeout) -> Map.of("task_id", id, "status", "completed"), Duration.ofSeconds(1), null);
            HttpRouting.Builder routing = HttpRouting.builder();
            ApiRouting.routing(routing, access, List.of(launch));
            client = new DirectClient(routing);
        }
        return client;
    }
}
