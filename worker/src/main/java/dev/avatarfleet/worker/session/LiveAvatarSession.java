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
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One avatar in one room: joins as the launch's participant, publishes {@code avatar_video} and
 * {@code avatar_audio} fed by the render loop, takes the agent's speech from {@code lk.audio_stream},
 * answers {@code lk.clear_buffer}, and ends (completed, cancelled or failed) exactly once, releasing the
 * render slot, the peer connections, tracks and buffers. Two duties are its collaborators':
 * {@link PlaybackReporter} tells the agent {@code lk.playback_finished}, {@link Reconnector} mends a lost link.
 */
public final class LiveAvatarSession implements AvatarSession {

    static final String CLEAR_BUFFER = "lk.clear_buffer";

    private static final Logger LOG = LoggerFactory.getLogger(LiveAvatarSession.class);

    private final LaunchSpec spec;
    private final byte[] image;
    private final SessionEvents events;
    private final LiveSessionFactory.Shared shared;
    private final CompletableFuture<SessionEnd> endSignal = new CompletableFuture<>();
    private final AtomicBoolean endedReported = new AtomicBoolean();
    private final SpeechQueue queue = new SpeechQueue(this::onSegmentPlayed, this::onSegmentStarted);
    private final IdleWatch idle;
    private final Clock clock;
    private final PlaybackReporter reporter;
    private final Reconnector reconnector;
    private volatile Thread runner;
    private volatile RoomConnection room;
    private volatile AvatarTracks publishedTracks;
    private volatile RpcEndpoint rpc;
    private volatile AgentIdentity agent;
    private volatile AudioStreamIntake intake;
    private volatile boolean running;
    private volatile boolean published;
    private volatile long preparedAfter;

    LiveAvatarSession(LaunchSpec spec, byte[] image, SessionEvents events, LiveSessionFactory.Shared shared) {
        this.spec = spec;
        this.image = image;
        this.events = events;
        this.shared = shared;
        this.clock = shared.settings().clock();
        this.idle = new IdleWatch(clock, shared.settings().idleTimeout());
        this.reporter = new PlaybackReporter(() -> {
            AgentIdentity identity = agent;
            return identity == null ? null : identity.agent();
        }, () -> rpc, endSignal::isDone);
        this.reconnector = new Reconnector(clock, spec.taskId());
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
            long t0 = clock.millis();
            CompletableFuture<PreparedAvatar> prepared = CompletableFuture.supplyAsync(() -> {
                PreparedAvatar a = shared.preparer().prepare(image);
                preparedAfter = clock.millis() - t0;
                return a;
            }, shared.blockingPool());
            tracks = new AvatarTracks(shared.peerFactory(), shared.settings().width(), shared.settings().height());
            publishedTracks = tracks;
            connect(url, tracks);
            long joinedAfter = clock.millis() - t0;
            PreparedAvatar avatar = awaitAvatar(prepared);
            slot = shared.renderer().attach(spec.taskId(), avatar, this::nextAudio, tracks);
            long attachedAfter = clock.millis() - t0;
            publish(tracks);
            published = true;
            running = true;
            // why: where a session's start goes (join, avatar preparation, publish) is what time to first frame is made of
            LOG.info(String.format("session %s running after %d ms: joined +%d ms, avatar prepared +%d ms, attached +%d ms",
                    spec.taskId(), clock.millis() - t0, joinedAfter, preparedAfter, attachedAfter));
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
            LOG.warn("session " + spec.taskId() + " failed", e);
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
        endpoint.register(CLEAR_BUFFER, this::onClearBuffer, caller -> reporter.reportCut());
        this.rpc = endpoint;
        RoomConnection connection = RoomConnection.join(url, spec.livekitToken(), shared.http(), shared.peerFactory(),
                shared.timers(), shared.settings().clock(), new RoomEvents());
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

    /** @return null when the link is back, else how the session ends */
    private SessionEnd reconnect(LiveKitUrl url, AvatarTracks tracks, String why) throws InterruptedException {
        LOG.atInfo().log(() -> "session " + spec.taskId() + " reconnecting: " + why);
        closeRoom();
        Optional<String> failure = reconnector.reconnect(why, () -> rejoin(url, tracks), endSignal::isDone);
        if (failure.isEmpty()) {
            return null;
        }
        return endSignal.isDone() ? endSignal.getNow(null)
                : SessionEnd.failed("livekit: connection lost (" + strip(failure.get()) + ")");
    }

    /** One reconnect try: join, tell the agent identity who is there now, publish; a half-open room is closed. */
    private void rejoin(LiveKitUrl url, AvatarTracks tracks) throws LiveKitException {
        try {
            RoomConnection connection = RoomConnection.join(url, spec.livekitToken(), shared.http(),
                    shared.peerFactory(), shared.timers(), clock, new RoomEvents());
            room = connection;
            agent.update(connection.joinResponse().getOtherParticipantsList());
            publish(tracks);
        } catch (LiveKitException e) {
            closeRoom();
            throw e;
        }
    }

    private void closeRoom() {
        RoomConnection old = room;
        room = null;
        if (old != null) {
            old.close();
        }
    }

    private static String strip(String reason) {
        return reason.startsWith("livekit: ") ? reason.substring("livekit: ".length()) : reason;
    }

    private String onClearBuffer(String caller, String payload) {
        AgentIdentity identity = agent;
        if (identity == null || !identity.isAgent(caller)) {
            return "reject";
        }
        reporter.cut(queue.clear());
        idle.activity();
        return "ok";
    }

    /**
     * The render loop's audio: silence, without taking any speech, until both tracks are published. why: the loop
     * renders from attach on (so the first frame is ready at publication), but speech that came before our video
     * (issue 11) must not be played into a track nobody can receive yet; it waits in the queue instead.
     */
    private boolean nextAudio(short[] out) {
        if (!published) {
            java.util.Arrays.fill(out, (short) 0);
            return false;
        }
        return queue.next(out);
    }

    /** Called by the queue on the render thread when a segment's first audio leaves with this tick's frame. */
    private void onSegmentStarted(String segmentId) {
        reporter.started(segmentId);
    }

    /** Called by the queue: on the render thread for played segments, on the clearing thread for cut ones. */
    private void onSegmentPlayed(SegmentPlayed played) {
        if (played.interrupted()) {
            return; // why: reported by the reporter after the clear_buffer response
        }
        idle.activity();
        reporter.played(played);
    }

    /** Teardown order: render slot, RPC, room (senders detached, PCs closed, signal closed), tracks, sources, queue. */
    private void release(RenderSlot slot, AvatarTracks tracks) {
        if (slot != null) {
            try {
                slot.close();
            } catch (RuntimeException e) {
                LOG.warn("render slot close failed", e);
            }
        }
        reporter.close();
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
        /**
         * why: the speech intake and the RPC sender are live from the JoinResponse on, before the join returns and
         * long before our video is published: the bitHuman plugin (livekit-plugins-bithuman avatar.py, 1.5.6 and
         * later) waits only for our participant, not our video, before it speaks. What arrives early stays queued
         * (bounded by the SpeechQueue) and is played in order once the render loop attaches.
         */
        @Override
        public void joined(RoomConnection connection, JoinResponse join) {
            AgentIdentity identity = agent;
            if (identity == null) {
                identity = new AgentIdentity(join.getParticipant(), join.getOtherParticipantsList());
                agent = identity;
                intake = new AudioStreamIntake(queue, identity::isAgent, idle::activity);
            } else {
                identity.update(join.getOtherParticipantsList());
            }
            room = connection;
        }

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

        @Override
        public void videoWanted(String trackSid, boolean wanted) {
            AvatarTracks t = publishedTracks;
            if (t != null) {
                t.videoWanted(wanted);
            }
        }
    }
}
