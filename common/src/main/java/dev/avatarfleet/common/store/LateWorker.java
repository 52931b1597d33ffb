package dev.avatarfleet.common.store;

import java.time.Duration;

/**
 * A registered worker whose heartbeat is late, on Redis's clock.
 *
 * @param id   its {@code WORKER_ID}
 * @param url  where it serves HTTP (empty when unknown)
 * @param late how long ago its last heartbeat was
 */
public record LateWorker(String id, String url, Duration late) {
}
