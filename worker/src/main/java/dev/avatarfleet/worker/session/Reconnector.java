package dev.avatarfleet.worker.session;

import dev.avatarfleet.worker.livekit.LiveKitException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mends a lost link to the room: tries to rejoin (and republish) again and again, a pause apart (a resilience4j
 * retry), until one try succeeds, the session ends, or the window has passed since the loss was noticed.
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

    private final InstantSource clock;
    private final Duration window;
    private final Duration pause;
    private final String sessionId;

    Reconnector(InstantSource clock, String sessionId) {
        this(clock, WINDOW, PAUSE, sessionId);
    }

    /** @param clock what the window is measured on */
    Reconnector(InstantSource clock, Duration window, Duration pause, String sessionId) {
        this.clock = clock;
        this.window = window;
        this.pause = pause;
        this.sessionId = sessionId;
    }

    /**
     * @param why          why the link was lost (the failure reason when no try ever runs)
     * @param sessionEnded true once the session ended: no more tries
     * @return empty when a try succeeded, else the reason of the last failure
     */
    Optional<String> reconnect(String why, Rejoin rejoin, BooleanSupplier sessionEnded) throws InterruptedException {
        if (sessionEnded.getAsBoolean()) {
            return Optional.of(why);
        }
        long deadline = clock.millis() + window.toMillis();
        AtomicReference<String> last = new AtomicReference<>(why);
        // why: a try is worth its pause only if it still starts inside the window and the session still wants it
        Retry retry = Retry.of("reconnecting session " + sessionId, RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(IntervalFunction.of(pause))
                .retryOnException(e -> e instanceof LiveKitException && !sessionEnded.getAsBoolean()
                        && clock.millis() + pause.toMillis() < deadline)
                .failAfterMaxAttempts(false)
                .build());
        try {
            retry.executeCheckedSupplier(() -> {
                try {
                    rejoin.run();
                    return null;
                } catch (LiveKitException e) {
                    last.set(e.getMessage());
                    LOG.atInfo().log(() -> "session " + sessionId + " reconnect failed: " + e.getMessage());
                    throw e;
                }
            });
            return Optional.empty();
        } catch (LiveKitException e) {
            return Optional.of(last.get());
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("reconnect of session " + sessionId + " interrupted");
            }
            throw new IllegalStateException(e);
        }
    }
}
