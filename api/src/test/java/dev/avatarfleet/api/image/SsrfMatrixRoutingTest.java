package dev.avatarfleet.api.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.avatarfleet.api.ApiRouting;
import dev.avatarfleet.api.TestImages;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.http.JsonReply;
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
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSRF matrix through {@code POST /launch}: every form of an internal target, given directly
 * as the launch's image URL and as the redirect target of a server the test allows, is a 400
 * {@code image download failed: ...} JSON, and nothing connects to it. Traps listen on the
 * loopback forms' address and port (127.0.0.1 and, where the host has it, ::1) and count
 * accepted connections; every other target is proven unconnected by the downloader's record of
 * the addresses its client was about to connect to (the one seam: Helidon's WebClient can reach no
 * address but the one its resolver answers).
 *
 * <p>Test-only seam: the guard exempts the exact address and port of the test's redirecting
 * server (127.0.0.1:its port), so a redirect's first hop can be on loopback while its target,
 * the trap on another port, is refused like any loopback address.
 */
@RoutingTest
class SsrfMatrixRoutingTest {
    static final String ROOM = "ssrf-room";
    static final byte[] JPEG = TestImages.jpeg(64, 64);
    static final List<String> ADMITTED = new CopyOnWriteArrayList<>();
    static final List<InetAddress> CONNECTS = new CopyOnWriteArrayList<>();
    static final AtomicInteger FIRST_HOP_REQUESTS = new AtomicInteger();
    static HttpServer firstHop;
    static Trap trap;
    static Trap trap6;

    private final DirectClient client;

    SsrfMatrixRoutingTest(DirectClient client) {
        this.client = client;
    }

    /** A listening socket that counts the connections it accepts. */
    static final class Trap implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();
        final Thread acceptor;

        Trap(InetAddress address, int port) throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(address, port));
            acceptor = Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        /**
         * Accepted connections. why: a client that connected could not have had its answer before this
         * trap accepted and closed it, so once the launch has answered, the count is final
         */
        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) throws Exception {
        trap = new Trap(InetAddress.getByName("127.0.0.1"), 0);
        try {
            trap6 = new Trap(InetAddress.getByName("::1"), trap.port());
        } catch (IOException noIpv6Loopback) {
            trap6 = null;
        }
        firstHop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        firstHop.createContext("/to", ex -> {
            FIRST_HOP_REQUESTS.incrementAndGet();
            String target = java.net.URLDecoder.decode(ex.getRequestURI().getRawQuery().substring(2), StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Location", target);
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        firstHop.createContext("/face.jpg", ex -> {
            ex.sendResponseHeaders(200, JPEG.length);
            ex.getResponseBody().write(JPEG);
            ex.close();
        });
        firstHop.start();
        InetSocketAddress exempt = new InetSocketAddress("127.0.0.1", firstHop.getAddress().getPort());
        DownloadTargetGuard guard = DownloadTargetGuard.exemptingForTests(exempt, host -> {
            // why: the names of the matrix resolve without a name server: each to an internal address
            return switch (host) {
                case "internal.test" -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
                case "metadata.test" -> new InetAddress[] {InetAddress.getByName("169.254.169.254")};
                case "mixed.test" -> new InetAddress[] {InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.1")};
                default -> InetAddress.getAllByName(host);
            };
        });
        // why: generous bounds: the refusals take none of this time, and a busy CI machine must not turn an answer into a timeout
        ImageDownloader downloader = new ImageDownloader(Duration.ofSeconds(5), Duration.ofSeconds(20), 3, 1 << 20,
                guard, CONNECTS::add);
        ImageResolver resolver = new ImageResolver(downloader, new AvatarImageCheck(new ImageLimits(1 << 20, 4_000_000, 4096)));
        LaunchIntake intake = (launch, image) -> {
            ADMITTED.add(launch.roomName());
            return new LaunchIntake.Admitted("t-1", launch.roomName(), "pending", false);
        };
        dev.avatarfleet.api.access.AccessFilter access = dev.avatarfleet.api.TestAccess.filter(List.of());
        LaunchService launch = new LaunchService(dev.avatarfleet.api.TestAccess.gate(access), dev.avatarfleet.api.TestAccess.FINGERPRINTS, new LaunchFormReader(4 << 20, 1 << 20),
                new LaunchValidator(Clock.systemUTC(), 1 << 20), resolver, intake,
                (id, timeout) -> Map.of("task_id", id), Duration.ofSeconds(1), null);
        ApiRouting.routing(routing, access, List.of(launch));
    }

    @AfterAll
    static void stop() throws IOException {
        firstHop.stop(0);
        trap.close();
        if (trap6 != null) {
            trap6.close();
        }
    }

    @BeforeEach
    void clear() {
        ADMITTED.clear();
        CONNECTS.clear();
        FIRST_HOP_REQUESTS.set(0);
    }

    /** Every form of an internal target; {P} is the trap's port. */
    static Stream<String> internalTargets() {
        List<String> loopbackForms = List.of(
                "http://127.0.0.1:{P}/a.jpg", "http://localhost:{P}/a.jpg", "http://LOCALHOST.:{P}/a.jpg",
                "http://Localhost:{P}/a.jpg", "http://127.0.0.1.:{P}/a.jpg", "http://127.1:{P}/a.jpg", "http://127.0.1:{P}/a.jpg",
                "http://2130706433:{P}/a.jpg", "http://0177.0.0.1:{P}/a.jpg", "http://0x7f.1:{P}/a.jpg", "http://0x7f000001:{P}/a.jpg",
                "http://017700000001:{P}/a.jpg", "http://0x7F.0x0.0x0.0x1:{P}/a.jpg", "http://[::1]:{P}/a.jpg",
                "http://[::ffff:127.0.0.1]:{P}/a.jpg", "http://[::ffff:7f00:1]:{P}/a.jpg", "http://[::127.0.0.1]:{P}/a.jpg",
                "http://[::7f00:1]:{P}/a.jpg", "http://[64:ff9b::7f00:1]:{P}/a.jpg", "http://[64:ff9b::127.0.0.1]:{P}/a.jpg",
                "http://[2002:7f00:1::]:{P}/a.jpg", "http://[2002:7f00:1::1]:{P}/a.jpg", "http://good@127.0.0.1:{P}/a.jpg",
                "http://user:secret@127.0.0.1:{P}/a.jpg", "http://0.0.0.0:{P}/a.jpg", "http://0:{P}/a.jpg", "http://[::]:{P}/a.jpg",
                "http://internal.test:{P}/a.jpg", "https://127.0.0.1:{P}/a.jpg");
        List<String> otherForms = List.of(
                "http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/latest/meta-data/",
                "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::]/", "http://0xa9fea9fe/",
                "http://2852039166/", "http://0251.0376.0251.0376/", "http://169.254.43518/", "http://metadata.test/",
                "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://[fc00::1]/", "http://10.0.0.1/", "http://10.1/",
                "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/", "http://100.100.100.200/",
                "http://192.0.0.192/", "http://224.0.0.1/", "http://255.255.255.255/", "http://[ff02::1]/",
                "http://[2001:0:a00:1::1]/", "http://mixed.test/");
        return Stream.concat(loopbackForms.stream(), otherForms.stream());
    }

    static Stream<Arguments> matrix() {
        return internalTargets().flatMap(target -> Stream.of(Arguments.of(target, false), Arguments.of(target, true)));
    }

    @ParameterizedTest(name = "{0} redirected={1}")
    @MethodSource("matrix")
    void everyInternalTargetIsRefusedBeforeAByteIsSent(String form, boolean viaRedirect) throws Exception {
        String target = form.replace("{P}", Integer.toString(trap.port()));
        String image = viaRedirect
                ? "http://127.0.0.1:" + firstHop.getAddress().getPort() + "/to?u=" + URLEncoder.encode(target, StandardCharsets.UTF_8)
                : target;
        int trapBefore = trap.accepted() + (trap6 == null ? 0 : trap6.accepted());

        try (HttpClientResponse res = launch(image)) {
            JsonNode body = JsonReply.MAPPER.readTree(res.as(String.class));
            assertEquals(400, res.status().code(), body.toString());
            assertEquals("image_download_failed", body.get("error").asText(), body.toString());
            assertTrue(body.get("reason").asText().startsWith("image download failed: "), body.toString());
            assertTrue(!body.toString().contains("secret"), "userinfo is never echoed: " + body);
        }
        assertEquals(trapBefore, trap.accepted() + (trap6 == null ? 0 : trap6.accepted()), "the trap accepted a connection");
        // the only connection ever attempted is the redirect's allowed first hop
        List<String> connected = CONNECTS.stream().map(InetAddress::getHostAddress).toList();
        assertEquals(viaRedirect ? List.of("127.0.0.1") : List.of(), connected);
        assertEquals(viaRedirect ? 1 : 0, FIRST_HOP_REQUESTS.get());
        assertEquals(List.of(), ADMITTED);
    }

    @Test
    void theTrapAndTheRedirectWouldWorkIfAllowed() throws Exception {
        // why: the matrix proves nothing if the trap could not count or the first hop could not redirect
        int before = trap.accepted();
        try (ImageDownloader open = new ImageDownloader(Duration.ofSeconds(5), Duration.ofSeconds(10), 1, 1 << 20,
                new DownloadTargetGuard(true))) {
            try {
                open.download(java.net.URI.create("http://127.0.0.1:" + trap.port() + "/a.jpg"));
            } catch (RuntimeException expected) {
                // the trap closes without answering
            }
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> trap.accepted() > before);

        String viaRedirect = "http://127.0.0.1:" + firstHop.getAddress().getPort() + "/to?u="
                + URLEncoder.encode("http://127.0.0.1:" + firstHop.getAddress().getPort() + "/face.jpg", StandardCharsets.UTF_8);
        try (HttpClientResponse res = launch(viaRedirect)) {
            assertEquals(200, res.status().code(), res.as(String.class));
        }
        assertEquals(List.of(ROOM), ADMITTED);
    }

    private HttpClientResponse launch(String image) {
        String body;
        try {
            body = JsonReply.MAPPER.writeValueAsString(JsonReply.object("livekit_url", "ws://127.0.0.1:7880",
                    "livekit_token", TestTokens.avatar(ROOM, "avatar-1"), "room_name", ROOM, "image", image));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return client.method(Method.POST).path("/launch").header(HeaderNames.CONTENT_TYPE, "application/json").submit(body);
    }
}
