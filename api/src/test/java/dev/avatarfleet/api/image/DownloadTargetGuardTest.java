package dev.avatarfleet.api.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.avatarfleet.common.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DownloadTargetGuardTest {

    private final DownloadTargetGuard guard = new DownloadTargetGuard(false);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/a.jpg", "http://localhost:8089/a.jpg", "http://169.254.169.254/latest/meta-data",
            "http://10.1.2.3/a.jpg", "http://172.16.0.9/a.jpg", "http://192.168.1.1/a.jpg", "http://[::1]/a.jpg",
            "http://[fd00::5]/a.jpg", "http://100.64.0.1/a.jpg", "http://0.0.0.0/a.jpg", "http://224.0.0.1/a.jpg"})
    void internalTargetsAreRefusedWithTheSettingThatAllowsThem(String url) {
        String reason = guard.refusal(URI.create(url)).orElseThrow();
        assertTrue(reason.contains("IMAGE_FETCH_ALLOW_PRIVATE=true"), reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.215.14/a.jpg", "https://[2606:4700::1111]/a.jpg", "http://100.128.0.1/a.jpg"})
    void publicAddressesPass(String url) {
        assertTrue(guard.refusal(URI.create(url)).isEmpty(), url);
    }

    @Test
    void theOperatorCanAllowPrivateNetworks() {
        assertTrue(new DownloadTargetGuard(true).refusal(URI.create("http://127.0.0.1/a.jpg")).isEmpty());
    }

    @Test
    void theDownloaderNeverConnectsToARefusedHost() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try (ImageDownloader downloader = new ImageDownloader(Duration.ofSeconds(1), Duration.ofSeconds(2), 2, 1 << 20, guard)) {
            ApiException e = assertThrows(ApiException.class, () -> downloader.download(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/avatar.jpg")));
            assertTrue(e.getMessage().startsWith("image download failed: 127.0.0.1 is a loopback"), e.getMessage());
            assertEquals(0, requests.get());
        } finally {
            server.stop(0);
        }
    }
}
