package dev.avatarfleet.worker.session;

import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.worker.livekit.AvatarTracks;
import dev.avatarfleet.worker.livekit.LiveKitException;
import dev.avatarfleet.worker.livekit.LiveKitUrl;
import dev.avatarfleet.worker.livekit.RoomConnection;
import dev.avatarfleet.worker.livekit.RpcEndpoint;
import dev.avatarfleet.worker.render.avatar.PreparedAvatar;
import dev.avatarfleet.worker.render.loop.RenderSlot;
import dev.avatarfleet.worker.session.audio.AudioStreamIntake;
import dev.avatarfleet.worker.session.audio.SegmentPlayed;
import dev.avatarfleet.worker.session.audio.SpeechQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;

/**
 * One avatar in one room: joins as the launch's participant, publishes {@code avatar_video} and
 * {@code avatar_audio} fed by the render loop, takes the agent's speech from {@code lk.audio_stream},
 * answers {@code lk.clear_buffer}, reports {@code lk.playback_finished}, and ends (completed, cancelled
 * or failed) exactly once, releasing the render slot, the peer connections, tracks and buffers.
 */
public final class LiveAvatarSession implements AvatarSession {

    static final String CLEAR_BUFFER = "lk.clear_buffer";
    /** Attempts and spacing of a playback report (the avatar runner's rpc_max_retries). */
    static final int REPORT_ATTEMPTS = 3;
    static final Duration REPORT_RETRY_DELAY = Duration.ofMillis(100);
    static final Duration REPORT_RESPONSE_TIMEOUT = Duration.ofSeconds(8);
    /** How long a lost link to the room may stay down before the session fails. */
    static final Duration RECONNECT_WINDOW = Duration.ofSeconds(15);
    static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(LiveAvatarSession.class.getName());

    private final LaunchSpec spec;
    private final byte[] image;
    private final SessionEvents events;
    private final LiveSessionFactory.Shared shared;
    private final CompletableFuture<SessionEnd> endSignal = new CompletableFuture<>();
    private final AtomicBoolean endedReported = new AtomicBoolean();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("avatar-notify").factory());
    private final SpeechQueue queue = new SpeechQueue(this::onSegmentPlayed);
    private final IdleWatch idle;
    private volatile Thread runner;
    private volatile RoomConnection room;
    private volatile RpcEndpoint rpc;
    private volatile AgentIdentity agent;
    private volatile AudioStreamIntake intake;
    private volatile boolean running;
    private volatile long preparedAfter;

    LiveAvatarSession(LaunchSpec spec, byte[] image, SessionEvents events, LiveSessionFactory.Shared shared) {
        this.spec = spec;
        this.image = image;
        this.events = events;
        this.shared = shared;
        this.idle = new IdleWatch(shared.settings().clock(), shared.settings().idleTimeout());
    }

    void start() {
        runner = Thread.ofVirtual().name("avatar-session-" + spec.taskId()).start(this::run);
    }

    @Override
    public void stop(String reason) {
        end(SessionEnd.cancelled(reason == null || reason.isBlank() ? "stopped" : reason));
        Thread t = runner;
        if (t != null && !running) {
            // why: a stop during the join must not wait for the join's own timeouts
            t.interrupt();
        }
    }

    /** The end this session reached, or null while it runs. */
    SessionEnd endIfDone() {
        return endSignal.getNow(null);
    }

    private void end(SessionEnd end) {
        endSignal.complete(end);
    }

    private void run() {
        AvatarTracks tracks = null;
        RenderSlot slot = null;
        SessionEnd end;
        try {
            LiveKitUrl url;
            try {
                url = LiveKitUrl.parse(spec.livekitUrl());
            } catch (IllegalArgumentException e) {
                throw new LiveKitException("invalid livekit_url: " + e.getMessage());
            }
            // why: image preparation runs beside the join, so the first frame waits for the slower one only
            long t0 = System.nanoTime();
            CompletableFuture<PreparedAvatar> prepared = CompletableFuture.supplyAsync(() -> {
                PreparedAvatar a = shared.preparer().prepare(image);
                preparedAfter = System.nanoTime() - t0;
                return a;
            }, shared.blockingPool());
            tracks = new AvatarTracks(shared.peerFactory(), shared.settings().width(), shared.settings().height());
            connect(url, tracks);
            long joinedAfter = System.nanoTime() - t0;
            PreparedAvatar avatar = awaitAvatar(prepared);
            slot = shared.renderer().attach(spec.taskId(), avatar, queue, tracks);
            long attachedAfter = System.nanoTime() - t0;
            publish(tracks);
            running = true;
            // why: where a session's start goes (join, avatar preparation, publish) is what time to first frame is made of
            LOG.info(String.format("session %s running after %d ms: joined +%d ms, avatar prepared +%d ms, attached +%d ms",
                    spec.taskId(), (System.nanoTime() - t0) / 1_000_000, joinedAfter / 1_000_000, preparedAfter / 1_000_000,
                    attachedAfter / 1_000_000));
            if (!avatar.warnings().isEmpty()) {
                events.warnings(avatar.warnings());
            }
            events.running();
            end = supervise(url, tracks);
        } catch (LiveKitException e) {
            end = endSignal.isDone() ? endSignal.join() : SessionEnd.failed(e.getMessage());
        } catch (InterruptedException e) {
            end = endSignal.isDone() ? endSignal.join() : SessionEnd.failed("interrupted");
        } catch (IllegalArgumentException e) {
            end = endSignal.isDone() ? endSignal.join() : SessionEnd.failed("invalid avatar: " + e.getMessage());
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "session " + spec.taskId() + " failed", e);
            end = endSignal.isDone() ? endSignal.join() : SessionEnd.failed("internal error: " + e.getClass().getSimpleName());
        }
        endSignal.complete(end);
        Thread.interrupted(); // why: a late stop() interrupt must not break the teardown
        release(slot, tracks);
        if (endedReported.compareAndSet(false, true)) {
            events.ended(endSignal.join());
        }
    }

    private PreparedAvatar awaitAvatar(CompletableFuture<PreparedAvatar> prepared) throws InterruptedException {
        try {
            return prepared.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("avatar preparation failed", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("avatar preparation took over 30 s");
        }
    }

    private void connect(LiveKitUrl url, AvatarTracks tracks) throws LiveKitException {
        RpcEndpoint endpoint = new RpcEndpoint(packet -> {
            RoomConnection r = room;
            if (r == null) {
                throw new IllegalStateException("not connected");
            }
            r.sendReliable(packet);
        }, shared.timers(), shared.blockingPool());
        endpoint.register(CLEAR_BUFFER, this::onClearBuffer, caller -> reportCleared());
        this.rpc = endpoint;
        RoomConnection connection = RoomConnection.join(url, spec.livekitToken(), shared.http(), shared.peerFactory(),
                shared.timers(), shared.settings().clock(), new RoomEvents());
        JoinResponse join = connection.joinResponse();
        AgentIdentity identity = new AgentIdentity(join.getParticipant(), join.getOtherParticipantsList());
        this.agent = identity;
        this.intake = new AudioStreamIntake(queue, identity::isAgent, idle::activity);
        this.room = connection;
        if (endSignal.isDone()) {
            throw new LiveKitException("session ended while joining");
        }
    }

    private void publish(AvatarTracks tracks) throws LiveKitException {
        RoomConnection connection = room;
        String stream = connection.joinResponse().getParticipant().getSid();
        // why: both tracks in one round: two AddTrackRequests, then a single renegotiation
        connection.publish(List.of(
                new RoomConnection.Publication(tracks.videoTrack(), tracks.videoRequest(), tracks.videoInit(stream + "|camera"),
                        t -> AvatarTracks.preferH264(shared.peerFactory(), t)),
                new RoomConnection.Publication(tracks.audioTrack(), tracks.audioRequest(),
                        tracks.audioInit(stream + "|microphone"), t -> { })));
    }

    /** Waits for the end: stop, agent gone, removal, idle timeout, or a loss that reconnecting cannot mend. */
    private SessionEnd supervise(LiveKitUrl url, AvatarTracks tracks) throws InterruptedException {
        while (true) {
            try {
                return endSignal.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (idle.idle(queue.hasSpeech())) {
                    return SessionEnd.completed("idle_timeout");
                }
                if (lostReason != null) {
                    String why = lostReason;
                    lostReason = null;
                    SessionEnd failed = reconnect(url, tracks, why);
                    if (failed != null) {
                        return failed;
                    }
                }
            } catch (java.util.concurrent.ExecutionException e) {
                return SessionEnd.failed("internal error");
            }
        }
    }

    private volatile String lostReason;

    private SessionEnd reconnect(LiveKitUrl url, AvatarTracks tracks, String why) throws InterruptedException {
        LOG.info(() -> "session " + spec.taskId() + " reconnecting: " + why);
        RoomConnection old = room;
        room = null;
        if (old != null) {
            old.close();
        }
        String last = why;
        long deadline = System.nanoTime() + RECONNECT_WINDOW.toNanos();
        while (System.nanoTime() < deadline && !endSignal.isDone()) {
            try {
                RoomConnection connection = RoomConnection.join(url, spec.livekitToken(), shared.http(),
                        shared.peerFactory(), shared.timers(), shared.settings().clock(), new RoomEvents());
                room = connection;
                agent.update(connection.joinResponse().getOtherParticipantsList());
                publish(tracks);
                return null;
            } catch (LiveKitException e) {
                last = e.getMessage();
                RoomConnection half = room;
                room = null;
                if (half != null) {
                    half.close();
                }
                LOG.info(() -> "session " + spec.taskId() + " reconnect failed: " + e.getMessage());
                Thread.sleep(RECONNECT_PAUSE.toMillis());
            }
        }
        return endSignal.isDone() ? endSignal.getNow(null)
                : SessionEnd.failed("livekit: connection lost (" + strip(last) + ")");
    }

    private static String strip(String reason) {
        return reason.startsWith("livekit: ") ? reason.substring("livekit: ".length()) : reason;
    }

    private String onClearBuffer(String caller, String payload) {
        AgentIdentity identity = agent;
        if (identity == null || !identity.isAgent(caller)) {
            return "reject";
        }
        pendingClear = queue.clear();
        idle.activity();
        return "ok";
    }

    private volatile List<SegmentPlayed> pendingClear = List.of();

    private void reportCleared() {
        List<SegmentPlayed> cut = pendingClear;
        pendingClear = List.of();
        for (SegmentPlayed played : cut) {
            notifier.execute(() -> sendReport(played));
        }
    }

    /** Called by the queue: on the render thread for played segments, on the clearing thread for cut ones. */
    private void onSegmentPlayed(SegmentPlayed played) {
        if (played.interrupted()) {
            return; // why: reported by reportCleared, after the clear_buffer response
        }
        idle.activity();
        notifier.execute(() -> sendReport(played));
    }

    private void sendReport(SegmentPlayed played) {
        AgentIdentity identity = agent;
        String destination = identity == null ? null : identity.agent();
        RpcEndpoint endpoint = rpc;
        if (destination == null || endpoint == null) {
            return;
        }
        String payload = PlaybackReport.payload(played);
        for (int attempt = 1; attempt <= REPORT_ATTEMPTS; attempt++) {
            try {
                endpoint.call(destination, PlaybackReport.METHOD, payload, REPORT_RESPONSE_TIMEOUT)
                        .get(REPORT_RESPONSE_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
                return;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                int n = attempt;
                LOG.fine(() -> "playback_finished attempt " + n + " failed: " + e.getMessage());
                if (endSignal.isDone()) {
                    return;
                }
                try {
                    Thread.sleep(REPORT_RETRY_DELAY.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Teardown order: render slot, RPC, room (senders detached, PCs closed, signal closed), tracks, sources, queue. */
    private void release(RenderSlot slot, AvatarTracks tracks) {
        if (slot != null) {
            try {
                slot.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "render slot close failed", e);
            }
        }
        notifier.shutdown();
        try {
            notifier.awaitTermination(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        notifier.shutdownNow();
        RpcEndpoint endpoint = rpc;
        if (endpoint != null) {
            endpoint.close();
        }
        RoomConnection connection = room;
        room = null;
        if (connection != null) {
            connection.leave();
        }
        if (tracks != null) {
            tracks.close();
        }
        queue.clear();
    }

    private final class RoomEvents implements RoomConnection.Events {
        @Override
        public void dataPacket(DataPacket packet) {
            RpcEndpoint endpoint = rpc;
            if (endpoint != null && endpoint.onPacket(packet)) {
                return;
            }
            AudioStreamIntake in = intake;
            if (in == null) {
                return;
            }
            String sender = packet.getParticipantIdentity();
            switch (packet.getValueCase()) {
                case STREAM_HEADER -> in.onHeader(sender, packet.getStreamHeader());
                case STREAM_CHUNK -> in.onChunk(sender, packet.getStreamChunk());
                case STREAM_TRAILER -> in.onTrailer(sender, packet.getStreamTrailer());
                default -> {
                    // why: transcriptions, chat, user packets and other topics are not ours
                }
            }
        }

        @Override
        public void participants(List<ParticipantInfo> updated) {
            AgentIdentity identity = agent;
            if (identity == null) {
                return;
            }
            identity.update(updated);
            if (identity.agentLeft()) {
                end(SessionEnd.completed("agent_left"));
            }
        }

        @Override
        public void leave(LeaveRequest leave) {
            switch (LeaveDecision.of(leave)) {
                case LeaveDecision.End e -> end(e.end());
                case LeaveDecision.Reconnect r -> lostReason = r.why();
            }
        }

        @Override
        public void lost(String reason) {
            // why: a loss during setup is kept too; supervise() mends it once the session runs
            lostReason = reason;
        }
    }
}
