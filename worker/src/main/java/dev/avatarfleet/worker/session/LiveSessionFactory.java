package dev.avatarfleet.worker.session;

import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.worker.livekit.ConnectionWarmup;
import dev.avatarfleet.worker.render.avatar.AvatarPreparer;
import dev.avatarfleet.worker.render.loop.Renderer;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link LiveAvatarSession}s. Owns what the sessions of one worker share: one WebRTC factory
 * on the dummy audio layer (a capturing audio module aborts the JVM once custom audio is sent;
 * reference webrtc-java.md / sfu-forwarding.md), the HTTP client for signalling, and timer threads.
 * Close it when the worker stops: the factory's native threads keep the JVM alive otherwise.
 */
public final class LiveSessionFactory implements SessionFactory, AutoCloseable {

    /** Everything a session borrows from the factory. */
    record Shared(Renderer renderer, AvatarPreparer preparer, LiveSessionSettings settings,
                  PeerConnectionFactory peerFactory, HttpClient http, ScheduledExecutorService timers,
                  ExecutorService blockingPool) {
    }

    private final AudioDeviceModule audioModule;
    private final Shared shared;

    public LiveSessionFactory(Renderer renderer, AvatarPreparer preparer, LiveSessionSettings settings) {
        this.audioModule = new AudioDeviceModule(AudioLayer.kDummyAudio);
        PeerConnectionFactory peerFactory = new PeerConnectionFactory(audioModule);
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(blocking)
                .build();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, Thread.ofPlatform().daemon().name("avatar-timers").factory());
        this.shared = new Shared(renderer, preparer, settings, peerFactory, http, timers, blocking);
    }

    /**
     * Runs the signalling and WebRTC code of a session once, locally, and frees it again (see
     * {@link ConnectionWarmup}), so the worker's first session starts as fast as later ones.
     */
    public ConnectionWarmup.Result warmUp() {
        return ConnectionWarmup.run(shared.http(), shared.peerFactory(), shared.settings().width(), shared.settings().height());
    }

    @Override
    public AvatarSession start(LaunchSpec spec, byte[] avatarImage, SessionEvents events) {
        LiveAvatarSession session = new LiveAvatarSession(spec, avatarImage, events, shared);
        session.start();
        return session;
    }

    /** Stops timers and disposes the WebRTC factory; end every session first. */
    @Override
    public void close() {
        shared.timers().shutdownNow();
        shared.blockingPool().shutdown();
        try {
            shared.blockingPool().awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shared.http().close();
        shared.peerFactory().dispose();
        audioModule.dispose();
    }
}
