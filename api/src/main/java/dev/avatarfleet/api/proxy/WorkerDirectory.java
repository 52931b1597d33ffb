package dev.avatarfleet.api.proxy;

import java.util.List;
import java.util.Optional;

/** Where the fleet's workers answer, as the registry knows them. */
public interface WorkerDirectory {
    /** A live worker and its base URL (e.g. {@code http://10.0.0.5:8090}). */
    record WorkerEndpoint(String id, String url, boolean ready, int freeSlots) {
    }

    /** Live workers whose model is loaded, most free slots first. */
    List<WorkerEndpoint> readyWorkers();

    /** The live worker with this id, ready or not. */
    Optional<WorkerEndpoint> worker(String id);
}
