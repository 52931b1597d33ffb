package dev.avatarfleet.common.store;

/**
 * A claim a worker holds, as its heartbeat names it to Redis.
 *
 * @param taskId    the task
 * @param attempt   the attempt it runs
 * @param imageHash the avatar image the task uses (renewed while it runs), or null
 */
public record HeldClaim(String taskId, int attempt, String imageHash) {
}
