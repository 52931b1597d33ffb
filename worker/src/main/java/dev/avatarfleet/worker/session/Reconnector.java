package dev.avatarfleet.worker.session;

import dev.avatarfleet.worker.livekit.LiveKitException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mends a lost link to the room: tries to rejoin (and republish) again and again, a pause apart, until one
 * try succeeds, the session ends, or {@link #WINDOW} has passed since the loss was noticed.
 */
final class Reconnector {

    /** How long a lost link to the room may stay down before the session fails. */
    static final Duration WINDOW = Duration.ofSeconds(15);
    /** The pause between two tries. */
    static final Duration PAUSE = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(Reconnector.class);

    /** One try: join again and publish the tracks; on failure it leaves nothing half open behind. */
    @FunctionalInterface
    interface Rejoin {
        void run() throws LiveKitException;
    }

    /** How the pause between tries is waited out. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private final InstantSource clock;
    private final Pause pause;
    private final String sessionId;

    Reconnector(InstantSource clock, String sessionId) {
        this(clock, d -> Thread.sleep(d.toMillis()), sessionId);
    }

    Reconnector(InstantSource clock, Pause pause, String sessionId) {
        this.clock = clock;
        this.pause = pause;
        this.sessionId = sessionId;
    }

    /**
     * @param why          why the link was lost (the failure reason when no try ever runs)
     * @param sessionEnded true once the session ended: no more tries
     * @return empty when a try succeeded, else the reason of the last failure
     */
    Optional<String> reconnect(String why, Rejoin rejoin, BooleanSupplier sessionEnded) throws InterruptedException {
        String last = why;
        long deadline = clock.millis() + WINDOW.toMillis();
        while (clock.millis() < deadline && !sessionEnded.getAsBoolean()) {
            try {
                rejoin.run();
                return Optional.empty();
            } catch (LiveKitException e) {
                last = e.getMessage();
                LOG.atInfo().log(() -> "session " + sessionId + " reconnect failed: " + e.getMessage());
                pause.pause(PAUSE);
            }
        }
        return Optional.of(last);
    }
}
