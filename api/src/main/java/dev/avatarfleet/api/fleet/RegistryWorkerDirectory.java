package dev.avatarfleet.api.fleet;

import dev.avatarfleet.api.proxy.WorkerDirectory;
import dev.avatarfleet.common.store.FleetRegistry;
import dev.avatarfleet.common.store.WorkerState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The {@link WorkerDirectory} read from the fleet registry's heartbeats. */
public final class RegistryWorkerDirectory implements WorkerDirectory {
    private final FleetRegistry registry;

    public RegistryWorkerDirectory(FleetRegistry registry) {
        this.registry = registry;
    }

    @Override
    public List<WorkerEndpoint> readyWorkers() {
        return registry.liveWorkers().stream()
                .filter(w -> w.modelReady() && !w.draining())
                .map(RegistryWorkerDirectory::endpoint)
                .sorted(Comparator.comparingInt(WorkerEndpoint::freeSlots).reversed())
                .toList();
    }

    @Override
    public Optional<WorkerEndpoint> worker(String id) {
        return registry.liveWorkers().stream().filter(w -> w.id().equals(id)).findFirst().map(RegistryWorkerDirectory::endpoint);
    }

    private static WorkerEndpoint endpoint(WorkerState w) {
        return new WorkerEndpoint(w.id(), w.url(), w.modelReady() && !w.draining(), Math.max(0, w.maxSessions() - w.activeSessions()));
    }
}
