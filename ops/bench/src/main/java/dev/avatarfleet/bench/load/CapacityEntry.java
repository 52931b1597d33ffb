package dev.avatarfleet.bench.load;

import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.WorkerState;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A registry entry that offers session slots and runs nothing: it heartbeats like a worker (model ready, a very
 * large {@code max_sessions}) but no process behind it consumes the launch topic. With it every launch the bench
 * sends is admitted, its image stored and its record produced, exactly the API's whole path, and no session starts
 * on this shared host; without it the API answers {@code 503 not_ready} before storing or producing anything.
 * Removed on close.
 */
public final class CapacityEntry implements AutoCloseable {
    public static final String ID = "bench-capacity-no-consumer";
    private static final int SLOTS = 10_000_000;

    private final FleetRegistry registry;
    private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-capacity-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public CapacityEntry(FleetRegistry registry, Duration every) {
        this.registry = registry;
        registry.heartbeat(state());
        beat.scheduleAtFixedRate(() -> {
            try {
                registry.heartbeat(state());
            } catch (RuntimeException e) {
                System.err.println("capacity heartbeat failed: " + e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static WorkerState state() {
        // why: the discard port: nothing may ever reach this entry as if it were a worker
        return new WorkerState(ID, "http://127.0.0.1:9", SLOTS, 0, true, false, false, null);
    }

    @Override
    public void close() {
        beat.shutdownNow();
        registry.deregister(ID);
    }
}
