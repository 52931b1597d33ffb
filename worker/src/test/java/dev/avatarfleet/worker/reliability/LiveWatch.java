package dev.avatarfleet.worker.reliability;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.avatarfleet.worker.node.HoldingSessionFactory;

/**
 * Test-only: watches one task's sessions on several workers every few milliseconds and keeps the most that
 * were ever live at once; a task running on two workers at any moment shows as 2.
 */
final class LiveWatch implements AutoCloseable {

    private final AtomicLong max = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    private LiveWatch(List<String> taskIds, List<HoldingSessionFactory> workers) {
        this.thread = Thread.ofVirtual().name("live-watch").start(() -> {
            while (!closed) {
                for (String id : taskIds) {
                    long live = workers.stream().mapToLong(w -> w.live(id)).sum();
                    max.accumulateAndGet(live, Math::max);
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Watches each of {@code taskIds} over {@code workers}. */
    static LiveWatch of(List<String> taskIds, HoldingSessionFactory... workers) {
        return new LiveWatch(List.copyOf(taskIds), List.of(workers));
    }

    /** The most sessions of one task ever seen live at once. */
    long max() {
        return max.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(1000);
    }
}
