package dev.avatarfleet.api.fleet;

import dev.avatarfleet.api.launch.LaunchService;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.task.TaskRecord;
import java.time.Clock;
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
    private final Clock clock;

    /** @param clock what the wait's bound is measured on */
    public TaskEndWaiter(RedisTaskStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> awaitEnd(String taskId, Duration timeout) {
        long deadline = clock.millis() + timeout.toMillis();
        Optional<TaskRecord> task = store.get(taskId);
        while (task.isPresent() && !task.get().status().isTerminal() && clock.millis() < deadline) {
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
