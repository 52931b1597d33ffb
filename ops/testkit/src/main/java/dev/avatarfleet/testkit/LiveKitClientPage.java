package dev.avatarfleet.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

/**
 * Serves the {@code livekit-client} test page of {@code ops/sdk-tests/browser/} and the SDK's own
 * UMD build, for headless Chromium to open. Only these two files are served; anything else is 404.
 */
public final class LiveKitClientPage implements AutoCloseable {

    private final HttpServer server;
    private final String address;

    private LiveKitClientPage(HttpServer server, String address) {
        this.server = server;
        this.address = address;
    }

    /**
     * @param address the address to listen on (the browser's side of the media network)
     * @param sdk     the {@code ops/sdk-tests} folder, with its {@code node_modules} installed
     */
    public static LiveKitClientPage serve(String address, Path sdk) throws IOException {
        Map<String, Path> files = Map.of(
                "/index.html", sdk.resolve("browser/index.html"),
                "/livekit-client.umd.js", sdk.resolve("node_modules/livekit-client/dist/livekit-client.umd.js"));
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 16);
        server.createContext("/", exchange -> {
            Path file = files.get(exchange.getRequestURI().getPath());
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().set("Content-Type",
                        file.toString().endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return new LiveKitClientPage(server, address);
    }

    /** {@code http://address:port}: the page's origin, which the room server must allow. */
    public String origin() {
        return "http://" + address + ":" + server.getAddress().getPort();
    }

    /** The page's URL. */
    public String url() {
        return origin() + "/index.html";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
