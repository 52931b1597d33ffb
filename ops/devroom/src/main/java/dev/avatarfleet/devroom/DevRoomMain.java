package dev.avatarfleet.devroom;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.logging.Logging;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the dev room server until SIGTERM/SIGINT, with the settings {@link DevRoomConfig#SETTINGS} declares
 * (its README's table).
 */
public final class DevRoomMain {
    private DevRoomMain() {
    }

    /** @param args ignored */
    public static void main(String[] args) throws InterruptedException {
        DevRoomConfig config;
        try {
            Env env = Env.system();
            Logging.start(env);
            config = DevRoomConfig.fromEnvironment(env);
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
