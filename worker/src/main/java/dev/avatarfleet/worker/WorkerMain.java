package dev.avatarfleet.worker;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.SettingsException;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.worker.node.WorkerComponents;
import dev.avatarfleet.worker.node.WorkerNode;

/**
 * Starts a worker node from the environment ({@code MAX_SESSIONS}, {@code WORKER_PORT},
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code REDIS_URL}, ...). SIGTERM drains it: no new claims,
 * sessions get {@code DRAIN_TIMEOUT} seconds to end, then the rest are stopped.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        FleetSettings fleet;
        WorkerSettings settings;
        try {
            Env env = Env.system();
            fleet = FleetSettings.fromEnvironment(env);
            settings = WorkerSettings.fromEnvironment(env);
        } catch (SettingsException e) {
            System.err.println("worker: bad setting " + e.getMessage());
            System.exit(2);
            return;
        }
        WorkerNode node = WorkerNode.start(fleet, settings, WorkerComponents.defaults(settings), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "worker-drain"));
        System.out.println("worker " + node.id() + " listening on " + node.url());
        stopped.await();
    }
}
