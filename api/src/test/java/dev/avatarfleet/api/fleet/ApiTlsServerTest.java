package dev.avatarfleet.api.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.ApiSettings;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.common.config.SettingsException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the API node: a self-signed certificate made here with the JDK's keytool, served from a
 * PKCS#12 keystore and from PEM files; a client that trusts it gets the API over HTTPS with its
 * host name checked, one that does not is refused, and plain HTTP on that port answers nothing.
 */
class ApiTlsServerTest {
    static final String PASSWORD = "test-pass-1";
    @TempDir
    static Path dir;
    static Path keystore;
    static Certificate certificate;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keystore = dir.resolve("api.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, p.exitValue(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        certificate = ks.getCertificate("api");
        PrivateKey key = (PrivateKey) ks.getKey("api", PASSWORD.toCharArray());
        Files.writeString(dir.resolve("api.crt"), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(dir.resolve("api.key"), pem("PRIVATE KEY", key.getEncoded()));
    }

    @Test
    void aNodeWithAKeystoreServesHttpsToAClientThatTrustsItsCertificate() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            ApiNode node = fleet.node(Map.of("API_TLS_KEYSTORE", keystore.toString(), "API_TLS_KEYSTORE_PASSWORD", PASSWORD));
            assertServesHttpsOnly(node);
        }
    }

    @Test
    void aNodeWithPemFilesServesHttps() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            ApiNode node = fleet.node(Map.of("API_TLS_CERT", dir.resolve("api.crt").toString(),
                    "API_TLS_KEY", dir.resolve("api.key").toString()));
            assertServesHttpsOnly(node);
        }
    }

    @Test
    void halfGivenOrUnreadableTlsSettingsStopTheStartNamingTheVariable() {
        SettingsException noKey = assertThrows(SettingsException.class,
                () -> ApiSettings.from(Map.of("API_TLS_CERT", dir.resolve("api.crt").toString())));
        assertEquals("API_TLS_KEY", noKey.variable());
        SettingsException missing = assertThrows(SettingsException.class,
                () -> ApiSettings.from(Map.of("API_TLS_KEYSTORE", dir.resolve("nope.p12").toString())));
        assertEquals("API_TLS_KEYSTORE", missing.variable());
        SettingsException wrongPassword = assertThrows(SettingsException.class, () -> ApiSettings.from(Map.of(
                "API_TLS_KEYSTORE", keystore.toString(), "API_TLS_KEYSTORE_PASSWORD", "wrong")).tls().serverTls());
        assertEquals("API_TLS_KEYSTORE", wrongPassword.variable());
        assertTrue(!wrongPassword.getMessage().contains("wrong"), wrongPassword.getMessage());
        String shown = ApiSettings.from(Map.of("API_TLS_KEYSTORE", keystore.toString(), "API_TLS_KEYSTORE_PASSWORD", PASSWORD)).toString();
        assertTrue(!shown.contains(PASSWORD), shown);
    }

    private static void assertServesHttpsOnly(ApiNode node) throws Exception {
        URI health = URI.create("https://127.0.0.1:" + node.port() + "/health");
        try (HttpClient trusting = HttpClient.newBuilder().sslContext(trusting()).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> res = trusting.send(HttpRequest.newBuilder(health).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode(), res.body());
            assertTrue(res.body().contains("\"status\":\"healthy\""), res.body());
        }
        try (HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            assertThrows(SSLHandshakeException.class,
                    () -> defaultTrust.send(HttpRequest.newBuilder(health).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        try (HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            URI http = URI.create("http://127.0.0.1:" + node.port() + "/health");
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }

    private static SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("api", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
