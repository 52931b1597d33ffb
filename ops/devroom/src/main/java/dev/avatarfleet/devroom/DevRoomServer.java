package dev.avatarfleet.devroom;

import dev.avatarfleet.devroom.auth.TokenVerifier;
import dev.avatarfleet.devroom.http.RoomServiceHandler;
import dev.avatarfleet.devroom.http.ValidateHandler;
import dev.avatarfleet.devroom.media.MediaEngine;
import dev.avatarfleet.devroom.room.RoomRegistry;
import dev.avatarfleet.devroom.signal.SignalEndpoint;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dev room server: LiveKit signalling on {@code /rtc}, RoomService on {@code /twirp}, media forwarded
 * through libwebrtc. For the local stack and tests only; production uses livekit-server.
 *
 * <pre>{@code
 * try (DevRoomServer server = DevRoomServer.start(DevRoomConfig.defaults("127.0.0.1"))) {
 *     String token = server.tokens().participant("room-1", "alice").mint();
 *     // connect a LiveKit SDK to server.wsUrl() with token
 * }
 * }</pre>
 */
public final class DevRoomServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevRoomServer.class);
    private final DevRoomConfig config;
    private final MediaEngine media;
    private final RoomRegistry rooms;
    private final WebServer web;
    private final ScheduledExecutorService sweeper;
    private boolean closed;

    private DevRoomServer(DevRoomConfig config, MediaEngine media, RoomRegistry rooms, WebServer web,
                          ScheduledExecutorService sweeper) {
        this.config = config;
        this.media = media;
        this.rooms = rooms;
        this.web = web;
        this.sweeper = sweeper;
    }

    /**
     * Starts a server.
     *
     * @param config settings
     * @return the running server (port resolved when 0 was asked)
     */
    public static DevRoomServer start(DevRoomConfig config) {
        MediaEngine media = new MediaEngine();
        try {
            RoomRegistry rooms = new RoomRegistry(config);
            TokenVerifier verifier = new TokenVerifier(config.apiKey(), config.apiSecret(), config.clock());
            WebServer web = WebServer.builder()
                    .host(config.host()).port(config.port())
                    .maxPayloadSize(config.maxMessageBytes())
                    .addProtocol(WsConfig.builder().name("websocket").origins(config.allowedOrigins())
                            // why: above our own limit, so an oversized message reaches SignalEndpoint, which closes it
                            // and removes the participant; Helidon drops bigger frames without telling the listener
                            // (the ping timeout then removes that participant)
                            .maxFrameLength(Math.max(4 * config.maxMessageBytes(), 1024 * 1024)).build())
                    .routing(r -> r.addFilter(DevRoomServer::cors)
                            .register(new ValidateHandler(verifier))
                            .register("/twirp/livekit.RoomService",
                                    new RoomServiceHandler(rooms, verifier, config.maxMessageBytes())))
                    .addRouting(WsRouting.builder()
                            .endpoint("/rtc", () -> new SignalEndpoint(config, rooms, verifier, media)))
                    .build()
                    .start();
            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "devroom-sweeper");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    rooms.sweep();
                } catch (RuntimeException e) {
                    LOG.warn("sweep failed", e);
                }
            }, 1, 1, TimeUnit.SECONDS);
            DevRoomServer server = new DevRoomServer(config.withPort(web.port()), media, rooms, web, sweeper);
            LOG.info("dev room server listening on {}", server.wsUrl());
            return server;
        } catch (RuntimeException e) {
            media.close();
            throw e;
        }
    }

    // why: browsers call /rtc/validate and RoomService cross-origin; livekit-server answers every origin
    private static void cors(io.helidon.webserver.http.FilterChain chain, io.helidon.webserver.http.RoutingRequest req,
                             io.helidon.webserver.http.RoutingResponse res) {
        res.header("Access-Control-Allow-Origin", "*");
        if (req.prologue().method() == io.helidon.http.Method.OPTIONS) {
            res.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            res.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
            res.header("Access-Control-Max-Age", "600");
            res.status(io.helidon.http.Status.NO_CONTENT_204).send();
            return;
        }
        chain.proceed();
    }

    /** @return e.g. {@code ws://10.77.1.1:7880} (what LiveKit SDKs take as URL) */
    public String wsUrl() {
        return "ws://" + hostForUrl() + ":" + web.port();
    }

    /** @return e.g. {@code http://10.77.1.1:7880} (RoomService base URL) */
    public String httpUrl() {
        return "http://" + hostForUrl() + ":" + web.port();
    }

    private String hostForUrl() {
        return config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    }

    /** @return the port it listens on */
    public int port() {
        return web.port();
    }

    /** @return its settings, with the actual port */
    public DevRoomConfig config() {
        return config;
    }

    /** @return a token minter for this server's key and secret */
    public DevRoomTokens tokens() {
        return DevRoomTokens.forServer(config);
    }

    /** @return its rooms (for tests and operators in-process) */
    public RoomRegistry rooms() {
        return rooms;
    }

    /** Sends every participant {@code leave(SERVER_SHUTDOWN)}, stops listening and disposes the factories. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sweeper.shutdownNow();
        rooms.closeAll();
        rooms.awaitClosed(java.time.Duration.ofSeconds(5));
        web.stop();
        media.close();
        LOG.info("dev room server stopped");
    }
}
