package dev.avatarfleet.common.store;

import java.util.List;

import dev.avatarfleet.common.task.TaskRecord;

/**
 * One page of {@code GET /tasks}.
 *
 * @param tasks newest first
 * @param total how many tasks matched the filters (over all pages)
 */
public record TaskPage(List<TaskRecord> tasks, int total, int offset, int limit) {

    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
