package dev.avatarfleet.worker.claim;

import java.time.Duration;
import java.time.InstantSource;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this worker's member of the launch share group has joined, so that a launch produced now is
 * delivered at once: when the consumer's metric says so, when a poll delivered a record, or, after
 * {@link #GRACE} of polling without either, anyway (a worker is never kept unready on a metric alone).
 * Turns true once and says so once.
 */
final class ShareGroupJoin {

    /** How long the claimer polls before it reports ready even without a confirmed share-group join. */
    static final Duration GRACE = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupJoin.class);

    private final BooleanSupplier joinedByMetric;
    private final InstantSource clock;
    private final String workerId;
    private volatile boolean joined;
    private long pollingSince = -1;
    private Runnable onJoined = () -> { };

    /**
     * @param joinedByMetric the consumer's own view; a failure to read it counts as not joined
     */
    ShareGroupJoin(BooleanSupplier joinedByMetric, InstantSource clock, String workerId) {
        this.joinedByMetric = joinedByMetric;
        this.clock = clock;
        this.workerId = workerId;
    }

    boolean joined() {
        return joined;
    }

    /** Told once, on the claimer's thread, when {@link #joined()} turns true. */
    void onJoined(Runnable callback) {
        this.onJoined = callback;
    }

    /** A poll is about to start; the grace counts from the first one. */
    void polling() {
        if (pollingSince < 0) {
            pollingSince = clock.millis();
        }
    }

    /** A poll returned, with records or without. */
    void polled(boolean delivered) {
        if (joined) {
            return;
        }
        boolean byMetric;
        try {
            byMetric = joinedByMetric.getAsBoolean();
        } catch (RuntimeException e) {
            byMetric = false;
        }
        long polledFor = clock.millis() - pollingSince;
        boolean late = polledFor > GRACE.toMillis();
        if (byMetric || delivered || late) {
            if (late && !byMetric && !delivered) {
                // why: never keep a worker unready on a metric alone; after the grace the join's cost is the first launch's
                LOG.warn("share group join not confirmed after " + GRACE.toSeconds() + " s of polling; reporting ready anyway");
            }
            joined = true;
            LOG.atInfo().log(() -> "worker " + workerId + " joined the launch share group after " + polledFor + " ms of polling");
            onJoined.run();
        }
    }
}
