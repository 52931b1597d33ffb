package dev.avatarfleet.worker.claim;

import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.kafka.LaunchDelivery;
import java.time.Duration;

/**
 * A launch record acquired while Redis did not answer: kept acquired (not acknowledged, not released)
 * while the claimer polls no more, and handed back once Redis answers a probe again. Why not release it:
 * every release counts a delivery and the share group archives a record after
 * {@code share.delivery.count.limit} (5) of them; released, the record went to the next worker, which
 * failed the same way, so an outage seen by five workers archived it and the accepted launch stayed
 * pending forever with nothing left to claim.
 */
final class StoreOutageHold {

    /** First and longest wait between two probes of an unanswering store. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** Asks the store something cheap; throws when it does not answer. */
    @FunctionalInterface
    interface Probe {
        void run() throws DependencyUnavailableException;
    }

    /** How a back-off is waited out. */
    @FunctionalInterface
    interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private final Probe probe;
    private final Pause pause;
    private boolean storeDown;
    private LaunchDelivery held;
    private long backoffMillis;

    StoreOutageHold(Probe probe) {
        this(probe, d -> Thread.sleep(d.toMillis()));
    }

    StoreOutageHold(Probe probe, Pause pause) {
        this.probe = probe;
        this.pause = pause;
    }

    /** Keeps {@code d} until the store answers; the claimer polls nothing meanwhile. */
    void hold(LaunchDelivery d) {
        held = d;
        storeDown = true;
    }

    /**
     * Whether the claimer may go on: true at once when no outage is being waited out, else after a probe that
     * the store answered; a probe it did not answer waits a back-off (250 ms, doubling, at most 10 s) and says false.
     */
    boolean storeAnswers() throws InterruptedException {
        if (!storeDown) {
            return true;
        }
        try {
            probe.run();
            storeDown = false;
            backoffMillis = 0;
            return true;
        } catch (DependencyUnavailableException e) {
            backoffMillis = Math.min(MAX_BACKOFF.toMillis(), Math.max(FIRST_BACKOFF.toMillis(), backoffMillis * 2));
            pause.pause(Duration.ofMillis(backoffMillis));
            return false;
        }
    }

    /** The record held through the outage, now to be handled again; null when there is none. */
    LaunchDelivery takeHeld() {
        LaunchDelivery d = held;
        held = null;
        return d;
    }
}
