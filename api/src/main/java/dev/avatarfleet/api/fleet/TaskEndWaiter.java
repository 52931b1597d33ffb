package dev.avatarfleet.api.fleet;

import dev.avatarfleet.api.launch.LaunchService;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.TaskRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Holds an {@code async_mode=false} launch until its task is terminal or the bound passes, polling
 * the shared store (any node may be asked; the worker may be anywhere).
 */
public final class TaskEndWaiter implements LaunchService.SyncWaiter {
    private static final Duration POLL = Duration.ofMillis(250);

    private final RedisTaskStore store;

    public TaskEndWaiter(RedisTaskStore store) {
        this.store = store;
    }

    @Override
    public Map<String, Object> awaitEnd(String taskId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<TaskRecord> task = store.get(taskId);
        while (task.isPresent() && !task.get().status().isTerminal() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            task = store.get(taskId);
        }
        return task.map(TaskEndWaiter::asMap).orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(TaskRecord record) {
        return dev.avatarfleet.common.http.JsonReply.MAPPER.convertValue(record, Map.class);
    }
}
