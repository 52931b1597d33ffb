package dev.avatarfleet.devroom;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the dev room server until SIGTERM/SIGINT. Environment: LIVEKIT_HOST (bind and advertised address,
 * default 127.0.0.1), LIVEKIT_PORT (7880), LIVEKIT_API_KEY (devkey), LIVEKIT_API_SECRET (secret),
 * DEVROOM_ALLOWED_ORIGINS (comma-separated browser origins allowed to connect).
 */
public final class DevRoomMain {
    private DevRoomMain() {
    }

    /** @param args ignored */
    public static void main(String[] args) throws InterruptedException {
        DevRoomConfig config;
        try {
            config = DevRoomConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("devroom: " + e.getMessage());
            System.exit(2);
            return;
        }
        DevRoomServer server = DevRoomServer.start(config);
        System.out.println("devroom: listening on " + server.wsUrl() + " (HTTP " + server.httpUrl()
                + ", API key " + config.apiKey() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // why: disposing the libwebrtc factories is what lets the JVM exit (their threads are non-daemon)
            server.close();
            stopped.countDown();
        }, "devroom-shutdown"));
        stopped.await();
    }
}
