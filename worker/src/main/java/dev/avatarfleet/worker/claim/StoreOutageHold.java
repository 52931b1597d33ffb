package dev.avatarfleet.worker.claim;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.kafka.LaunchDelivery;
import io.github.resilience4j.core.IntervalFunction;
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
    private final IntervalFunction backoff;
    private boolean storeDown;
    private LaunchDelivery held;
    private int failedProbes;

    StoreOutageHold(Probe probe, FleetSettings.Backoff backoff) {
        this(probe, backoff, d -> Thread.sleep(d.toMillis()));
    }

    StoreOutageHold(Probe probe, FleetSettings.Backoff backoff, Pause pause) {
        this.probe = probe;
        this.pause = pause;
        this.backoff = IntervalFunction.ofExponentialBackoff(backoff.first(), 2.0, backoff.max());
    }

    /** Keeps {@code d} until the store answers; the claimer polls nothing meanwhile. */
    void hold(LaunchDelivery d) {
        held = d;
        storeDown = true;
    }

    /**
     * Whether the claimer may go on: true at once when no outage is being waited out, else after a probe that
     * the store answered; a probe it did not answer waits a back-off ({@code RETRY_BACKOFF_MS}, doubling, at most
     * {@code RETRY_MAX_BACKOFF_MS}) and says false.
     */
    boolean storeAnswers() throws InterruptedException {
        if (!storeDown) {
            return true;
        }
        try {
            probe.run();
            storeDown = false;
            failedProbes = 0;
            return true;
        } catch (DependencyUnavailableException e) {
            failedProbes++;
            pause.pause(Duration.ofMillis(backoff.apply(failedProbes)));
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
