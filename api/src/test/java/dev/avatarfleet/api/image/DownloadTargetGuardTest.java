package dev.avatarfleet.api.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import dev.avatarfleet.common.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard's decisions, address by address and form by form, with a resolver the test controls. */
class DownloadTargetGuardTest {
    /** A name service for tests: fixed answers, no network. */
    private static final Map<String, List<String>> DNS = Map.of(
            "public.test", List.of("93.184.215.14"),
            "internal.test", List.of("10.0.0.7"),
            "mixed.test", List.of("93.184.215.14", "127.0.0.1"),
            "metadata.test", List.of("169.254.169.254"));

    private static InetAddress[] lookup(String host) throws UnknownHostException {
        List<String> answer = DNS.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[answer.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = InetAddress.getByName(answer.get(i));
        }
        return out;
    }

    private final DownloadTargetGuard guard = new DownloadTargetGuard(false, DownloadTargetGuardTest::lookup, Set.of());

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/a.jpg", "http://localhost:8089/a.jpg", "http://LOCALHOST./a.jpg",
            "http://api.localhost/a.jpg", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/a.jpg",
            "http://172.16.0.9/a.jpg", "http://172.31.255.255/a.jpg", "http://192.168.1.1/a.jpg", "http://[::1]/a.jpg",
            "http://[fd00::5]/a.jpg", "http://[fc00::1]/a.jpg", "http://[fe80::1]/a.jpg", "http://[fec0::1]/a.jpg",
            "http://100.64.0.1/a.jpg", "http://100.127.255.254/a.jpg", "http://0.0.0.0/a.jpg", "http://0/a.jpg",
            "http://0.1.2.3/a.jpg", "http://[::]/a.jpg", "http://224.0.0.1/a.jpg", "http://239.255.255.250/a.jpg",
            "http://255.255.255.255/a.jpg", "http://240.0.0.1/a.jpg", "http://[ff02::1]/a.jpg", "http://192.0.0.192/a.jpg",
            "http://198.18.0.1/a.jpg", "http://[100::1]/a.jpg",
            // IPv4-mapped, -compatible, -translated, NAT64, 6to4 and Teredo forms of internal addresses
            "http://[::ffff:127.0.0.1]/a.jpg", "http://[::ffff:7f00:1]/a.jpg", "http://[::ffff:169.254.169.254]/a.jpg",
            "http://[::127.0.0.1]/a.jpg", "http://[::7f00:1]/a.jpg", "http://[::a00:1]/a.jpg", "http://[::ffff:0:a00:1]/a.jpg",
            "http://[64:ff9b::7f00:1]/a.jpg", "http://[64:ff9b::a9fe:a9fe]/a.jpg", "http://[64:ff9b:1::1]/a.jpg",
            "http://[2002:7f00:1::]/a.jpg", "http://[2002:a9fe:a9fe::1]/a.jpg", "http://[2001:0:a00:1::1]/a.jpg",
            "http://[2001:0:5db8:d70e::80ff:fffe]/a.jpg",
            // decimal, octal, hex and short IPv4 forms
            "http://2130706433/a.jpg", "http://0177.0.0.1/a.jpg", "http://0x7f.1/a.jpg", "http://0X7F.0.0.1/a.jpg",
            "http://127.1/a.jpg", "http://127.0.1/a.jpg", "http://0x7f000001/a.jpg", "http://017700000001/a.jpg",
            "http://127.000.000.001/a.jpg", "http://0xa9fea9fe/a.jpg", "http://2852039166/a.jpg", "http://10.1/a.jpg",
            "http://127.0.0.1./a.jpg",
            // userinfo tricks and names that resolve inside
            "http://good@127.0.0.1/a.jpg", "http://public.test@127.0.0.1/a.jpg", "http://user:pw@10.0.0.1/a.jpg",
            "http://internal.test/a.jpg", "http://INTERNAL.TEST./a.jpg", "http://mixed.test/a.jpg", "http://metadata.test/"})
    void internalTargetsInEveryFormAreRefused(String url) {
        String reason = guard.refusal(URI.create(url)).orElseThrow(() -> new AssertionError(url + " was allowed"));
        assertTrue(reason.contains("internal address") || reason.contains("loopback name"), reason);
        assertTrue(reason.contains("IMAGE_FETCH_ALLOW_PRIVATE=true"), reason);
        assertTrue(!reason.contains("pw"), "userinfo never shows in a reason: " + reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://256.0.0.1/a.jpg", "http://1.2.3.4.5/a.jpg", "http://0x100000000/a.jpg", "http://08.0.0.1/a.jpg",
            "http://1..2/a.jpg", "http://%31%32%37.0.0.1/a.jpg", "http://[fe80::1%25eth0]/a.jpg", "http://unknown.test/a.jpg",
            "http://exa_mple..com/a.jpg", "http://host:99999/a.jpg", "ftp://public.test/a.jpg", "http:///a.jpg",
            "http://user@public.test/a.jpg"})
    void unreadableHostsAndCredentialsAreRefused(String url) {
        assertTrue(guard.refusal(URI.create(url)).isPresent(), url);
    }

    @ParameterizedTest
    @CsvSource({
            "http://93.184.215.14/a.jpg, 93.184.215.14, http://93.184.215.14:80/a.jpg",
            "http://1572394766/a.jpg, 93.184.215.14, http://93.184.215.14:80/a.jpg",
            "http://0x5d.0xb8.0xd7.0x0e/a.jpg?x=1, 93.184.215.14, http://93.184.215.14:80/a.jpg?x=1",
            "https://[2606:4700::1111]/a.jpg, 2606:4700:0:0:0:0:0:1111, https://[2606:4700:0:0:0:0:0:1111]:443/a.jpg",
            "http://100.128.0.1/a.jpg, 100.128.0.1, http://100.128.0.1:80/a.jpg",
            "http://Public.Test./a.jpg#frag, 93.184.215.14, http://public.test:80/a.jpg",
            "https://public.test:8443/x/y.png, 93.184.215.14, https://public.test:8443/x/y.png"})
    void publicTargetsPassAndAreRequestedAtTheAddressThatWasChecked(String url, String address, String request) throws Exception {
        DownloadTargetGuard.CheckedTarget target = guard.check(URI.create(url));
        assertArrayEquals(InetAddress.getByName(address).getAddress(), target.address().getAddress());
        assertEquals(URI.create(request), target.uri());
    }

    @Test
    void aNameIsResolvedOnceAndItsCheckedAddressIsTheOneKept() {
        // a rebinding name server: a public address when checked, loopback on any later lookup
        AtomicInteger lookups = new AtomicInteger();
        DownloadTargetGuard rebinding = new DownloadTargetGuard(false, host -> new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.215.14" : "127.0.0.1")}, Set.of());
        DownloadTargetGuard.CheckedTarget target = rebinding.check(URI.create("https://rebind.test/a.jpg"));
        assertEquals(1, lookups.get());
        assertEquals("93.184.215.14", target.address().getHostAddress());
        // why: the pinned address keeps the name, so TLS verifies the certificate against it and sends it as SNI
        assertEquals("rebind.test", target.address().getHostName());
    }

    @Test
    void theOperatorCanAllowPrivateNetworks() {
        DownloadTargetGuard open = new DownloadTargetGuard(true, DownloadTargetGuardTest::lookup, Set.of());
        assertTrue(open.refusal(URI.create("http://127.0.0.1/a.jpg")).isEmpty());
        assertTrue(open.refusal(URI.create("http://internal.test/a.jpg")).isEmpty());
        assertTrue(open.refusal(URI.create("http://[::ffff:10.0.0.1]/a.jpg")).isEmpty());
    }

    @Test
    void theDownloaderConnectsOnlyToTheCheckedAddress() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        List<InetAddress> connects = new CopyOnWriteArrayList<>();
        // the name first resolves to the test server (exempt), then to an internal address
        AtomicInteger lookups = new AtomicInteger();
        DownloadTargetGuard rebinding = DownloadTargetGuard.exemptingForTests(new InetSocketAddress("127.0.0.1", port),
                host -> new InetAddress[] {InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "10.9.9.9")});
        try (ImageDownloader downloader = new ImageDownloader(Duration.ofSeconds(5), Duration.ofSeconds(20), 2, 1 << 20,
                rebinding, connects::add)) {
            ApiException e = assertThrows(ApiException.class,
                    () -> downloader.download(URI.create("http://rebind.test:" + port + "/avatar.jpg")));
            assertEquals("image download failed: HTTP 404 from rebind.test", e.getMessage());
            assertEquals(1, requests.get());
            assertEquals(1, lookups.get());
            assertEquals(List.of("127.0.0.1"), connects.stream().map(InetAddress::getHostAddress).toList());
        } finally {
            server.stop(0);
        }
    }
}
