package dev.avatarfleet.worker;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;

import dev.avatarfleet.common.ControlPlane;
import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.logging.Logging;
import dev.avatarfleet.common.secret.LaunchRecordKeys;
import dev.avatarfleet.worker.node.WorkerNode;
import dev.avatarfleet.worker.render.RenderSettings;

/**
 * The worker's composition root: reads the settings from the environment ({@code MAX_SESSIONS},
 * {@code WORKER_PORT}, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code REDIS_URL}, ...), connects the
 * {@link ControlPlane} (as {@code ApiMain} does), builds the {@link AvatarRuntime} (renderer and LiveKit
 * sessions) and starts the {@link WorkerNode} on both. SIGTERM drains it: no new claims, sessions get
 * {@code DRAIN_TIMEOUT} seconds to end, then the rest are stopped; then the runtime and the plane close.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        FleetSettings fleet;
        WorkerSettings settings;
        RenderSettings render;
        try {
            Env env = Env.system();
            Logging.start(env);
            fleet = FleetSettings.fromEnvironment(env);
            settings = WorkerSettings.fromEnvironment(env);
            render = RenderSettings.fromEnvironment(env, settings.maxSessions());
            LaunchRecordKeys.configureFrom(env, "worker");
        } catch (IllegalArgumentException e) {
            System.err.println("worker: bad setting " + e.getMessage());
            System.exit(2);
            return;
        }
        AvatarRuntime runtime = new AvatarRuntime(settings, render, unusable -> {
            // why: a MODEL_DIR with another signature would fail every session; refuse to run at all
            System.err.println("worker: unusable model in MODEL_DIR: " + unusable.getMessage());
            System.exit(2);
        });
        ControlPlane plane = ControlPlane.connect(fleet, Clock.systemUTC());
        WorkerNode node = WorkerNode.start(settings, plane, runtime.components(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            // why: after the drain every session has ended, so the native render and WebRTC parts can go
            runtime.close();
            plane.close();
            stopped.countDown();
            // why: SIGTERM ends in a drain that finished its work; say so with 0 (the JVM's own code would be 143)
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }, "worker-drain"));
        System.out.println("worker " + node.id() + " listening on " + node.url());
        stopped.await();
    }
}
