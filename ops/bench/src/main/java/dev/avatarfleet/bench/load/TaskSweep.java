package dev.avatarfleet.bench.load;

import dev.avatarfleet.common.store.RedisTaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The tasks a load run created, cancelled once the run is over (the store's own stop: a pending task no worker claimed
 * becomes {@code cancelled} at once, a terminal record kept within {@code MAX_TASK_HISTORY}). Why: in a fleet the
 * active set holds the sessions that run (workers claim a launch within milliseconds); here nothing claims them, and
 * the API's pending sweeper reads every active task every {@code PENDING_SWEEP_INTERVAL_MS}, so tens of thousands
 * left pending would load Redis in the next run and measure a fleet that does not exist.
 */
public final class TaskSweep {
    private final Queue<String> ids = new ConcurrentLinkedQueue<>();

    /** Notes a task to cancel (thread-safe; null is ignored). */
    public void add(String taskId) {
        if (taskId != null) {
            ids.add(taskId);
        }
    }

    /** Cancels every task noted so far, 64 at a time; returns how many. */
    public int cancelAll(RedisTaskStore store) throws InterruptedException {
        List<String> batch = new ArrayList<>();
        for (String id = ids.poll(); id != null; id = ids.poll()) {
            batch.add(id);
        }
        cancel(store, batch);
        return batch.size();
    }

    /** Cancels these tasks through the store's stop, 64 at a time. */
    public static void cancel(RedisTaskStore store, List<String> taskIds) throws InterruptedException {
        Queue<String> left = new ConcurrentLinkedQueue<>(taskIds);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 64; c++) {
                threads.execute(() -> {
                    for (String id = left.poll(); id != null; id = left.poll()) {
                        store.requestStop(id, "bench run over");
                    }
                });
            }
        }
    }
}
