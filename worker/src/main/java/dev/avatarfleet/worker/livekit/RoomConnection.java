package dev.avatarfleet.worker.livekit;

import dev.avatarfleet.common.logging.LogContext;
import dev.onvoid.webrtc.RTCStatsCollectorCallback;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import livekit.LivekitModels;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.TrackPublishedResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The avatar's presence in one LiveKit room over v0 signalling (reference §3.4): the signalling
 * link, and three collaborators it owns: {@link PeerNegotiation} (the publisher peer connection we
 * offer on, with our tracks, and the subscriber the server offers on), {@link DataChannels} (the
 * {@code _reliable} channel we send data on, and the channels data from others arrives on) and
 * {@link SignalKeepalive} (pings and the ping-timeout watchdog). Signalling messages are handled one
 * at a time on their own thread; this class joins, publishes, routes what arrives and closes.
 */
public final class RoomConnection implements AutoCloseable {

    /** How long the server may take to send the JoinResponse after the upgrade. */
    public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
    /** How long the server may take to confirm a track (Rust's TRACK_PUBLISH_TIMEOUT). */
    public static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    /** How long the data channel may take to open after the join. */
    public static final Duration DATA_OPEN_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RoomConnection.class);

    /** What the room tells the session. Called on connection threads; must not block for long. */
    public interface Events {
        void dataPacket(DataPacket packet);

        /** Participants changed (joined, updated, or state DISCONNECTED). */
        void participants(List<ParticipantInfo> updated);

        /** The server asked us to leave. */
        void leave(LeaveRequest leave);

        /** The link is gone (signal closed, ping timeout, peer connection failed). */
        void lost(String reason);

        /**
         * The server accepted the join; called once, on the signalling thread, before any data packet of this
         * connection can arrive and before {@link #join} returns: from here on {@code room} may send data
         * (packets sent before its reliable channel opens are held and go out in order when it opens).
         */
        default void joined(RoomConnection room, JoinResponse join) {
        }

        /**
         * The server says whether anyone receives our video track {@code trackSid} now (LiveKit's dynacast
         * {@code SubscribedQualityUpdate}: every quality disabled means nobody does).
         */
        default void videoWanted(String trackSid, boolean wanted) {
        }
    }

    private final LiveKitUrl url;
    private final InstantSource clock;
    private final Events events;
    // why: bound to the log context of the session that joins (signalling arrives on the HTTP client's threads)
    private final ExecutorService signalThread = LogContext.current().bind(
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("lk-signal").factory()));
    private static final ThreadLocal<Boolean> ON_SIGNAL_THREAD = ThreadLocal.withInitial(() -> false);
    private final CompletableFuture<JoinResponse> joined = new CompletableFuture<>();
    // why: the JoinResponse and the subscriber offer can arrive before connect() has returned the client
    private final CompletableFuture<Void> signalAssigned = new CompletableFuture<>();
    private final Map<String, CompletableFuture<TrackPublishedResponse>> pendingTracks = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean lostReported = new AtomicBoolean();
    private final DataChannels channels;
    private final PeerNegotiation peers;
    private final SignalKeepalive keepalive;
    private volatile SignalClient signal;

    private RoomConnection(LiveKitUrl url, PeerConnectionFactory factory, ScheduledExecutorService timers, InstantSource clock,
                           Events events) {
        this.url = url;
        this.clock = clock;
        this.events = new EventsInContext(events, LogContext.current());
        this.channels = new DataChannels(this.events::dataPacket, closed::get);
        this.peers = new PeerNegotiation(factory, this::send, signalThread, this::reportLost, closed::get,
                channel -> channels.watch(channel, false));
        this.keepalive = new SignalKeepalive(timers, clock, this::send, this::lastReceivedMillis, this::reportLost);
    }

    /**
     * Joins: opens the signalling link, waits for the JoinResponse, creates both peer connections
     * and negotiates the publisher so that data can be sent. Bounded by the connect, join and data
     * channel timeouts; on failure everything opened so far is closed again.
     *
     * @param clock the time of the keepalive and the publish deadline
     * @throws LiveKitException with a readable reason
     */
    public static RoomConnection join(LiveKitUrl url, String token, HttpClient http, PeerConnectionFactory factory,
                                      ScheduledExecutorService timers, InstantSource clock, Events events) throws LiveKitException {
        RoomConnection room = new RoomConnection(url, factory, timers, clock, events);
        try {
            try {
                room.signal = SignalClient.connect(http, url, url.join(), token, clock, room.new SignalHandler());
            } finally {
                room.signalAssigned.complete(null);
            }
            room.awaitJoin();
            room.peers.negotiate();
            room.channels.reliableOpen().get(DATA_OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return room;
        } catch (LiveKitException e) {
            room.close();
            throw e;
        } catch (TimeoutException e) {
            room.close();
            throw new LiveKitException("media connection to " + url.authority() + " not established within "
                    + DATA_OPEN_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            room.close();
            Thread.currentThread().interrupt();
            throw new LiveKitException("interrupted while joining");
        } catch (Exception e) {
            room.close();
            throw new LiveKitException("join failed: " + rootMessage(e), e);
        }
    }

    /** The server's JoinResponse (own participant, others, ICE servers, timers). */
    public JoinResponse joinResponse() {
        return joined.getNow(null);
    }

    /** One local track to publish: the request (its cid is the track id), the transceiver and its tuning. */
    public record Publication(MediaStreamTrack track, AddTrackRequest request, RTCRtpTransceiverInit init,
                              Consumer<RTCRtpTransceiver> configure) {
    }

    /**
     * Publishes local tracks: every AddTrackRequest goes out at once, each TrackPublishedResponse is awaited,
     * then a sendonly transceiver per track is added to the publisher and one renegotiation carries them all.
     *
     * @return the server's track infos, in the order given
     */
    public List<LivekitModels.TrackInfo> publish(List<Publication> publications) throws LiveKitException {
        List<CompletableFuture<TrackPublishedResponse>> confirmations = new ArrayList<>();
        for (Publication p : publications) {
            CompletableFuture<TrackPublishedResponse> published = new CompletableFuture<>();
            pendingTracks.put(p.request().getCid(), published);
            confirmations.add(published);
            signal.send(SignalRequest.newBuilder().setAddTrack(p.request()).build());
        }
        List<LivekitModels.TrackInfo> infos = new ArrayList<>();
        long deadline = clock.millis() + PUBLISH_TIMEOUT.toMillis();
        try {
            for (int i = 0; i < publications.size(); i++) {
                String name = publications.get(i).request().getName();
                try {
                    long left = Math.max(0, deadline - clock.millis());
                    infos.add(confirmations.get(i).get(left, TimeUnit.MILLISECONDS).getTrack());
                } catch (TimeoutException e) {
                    throw new LiveKitException("track " + name + " not confirmed within " + PUBLISH_TIMEOUT.toSeconds() + " s");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LiveKitException("interrupted while publishing");
                } catch (Exception e) {
                    throw new LiveKitException("track " + name + " refused: " + rootMessage(e));
                }
            }
        } finally {
            publications.forEach(p -> pendingTracks.remove(p.request().getCid()));
        }
        for (Publication p : publications) {
            RTCRtpTransceiver transceiver = peers.publisher().addTransceiver(p.track(), p.init());
            p.configure().accept(transceiver);
        }
        peers.negotiate();
        return infos;
    }

    /**
     * Asks the publisher connection for its stats; the answer arrives on libwebrtc's thread. Runs on the
     * signalling thread, so it never reaches a connection after its teardown (which runs there too).
     */
    public void publisherStats(RTCStatsCollectorCallback callback) {
        if (closed.get()) {
            return;
        }
        try {
            signalThread.execute(() -> {
                if (!closed.get()) {
                    peers.publisher().getStats(callback);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // why: closed meanwhile; a stats read is never worth an error
        }
    }

    /** Sends a data packet on the reliable channel; before the channel opened, it is held (bounded) until then. */
    public void sendReliable(DataPacket packet) throws Exception {
        channels.sendReliable(packet);
    }

    /** Says goodbye to the server (client initiated) and closes everything. */
    public void leave() {
        SignalClient s = signal;
        if (s != null && !closed.get()) {
            s.send(SignalRequest.newBuilder().setLeave(LeaveRequest.newBuilder()
                    .setReason(LivekitModels.DisconnectReason.CLIENT_INITIATED)
                    .setAction(LeaveRequest.Action.DISCONNECT)).build());
        }
        close();
    }

    /**
     * Closes in the order that frees webrtc-java's native objects: timers, data channels, senders
     * detached, peer connections, signalling. Tracks and sources belong to the caller. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // why: final even when the JoinResponse is being handled right now: a keepalive started after this starts nothing
        keepalive.stop();
        pendingTracks.values().forEach(f -> f.completeExceptionally(new IllegalStateException("connection closed")));
        if (ON_SIGNAL_THREAD.get()) {
            closeMedia();
        } else {
            // why: native teardown must not race a signalling message being applied to the same PCs
            CompletableFuture<Void> teardown = CompletableFuture.runAsync(this::closeMedia, signalThread);
            try {
                teardown.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("media teardown did not finish cleanly", e);
            }
        }
        SignalClient s = signal;
        if (s != null) {
            s.close();
        }
        signalThread.shutdown();
    }

    private void closeMedia() {
        channels.close();
        peers.close();
    }

    private void awaitJoin() throws LiveKitException, InterruptedException {
        try {
            joined.get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new LiveKitException("no JoinResponse from " + url.authority() + " within " + JOIN_TIMEOUT.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof LiveKitException lk ? lk : new LiveKitException("join failed: " + rootMessage(e));
        }
    }

    private void send(SignalRequest request) {
        SignalClient s = signal;
        if (s != null) {
            s.send(request);
        }
    }

    private long lastReceivedMillis() {
        SignalClient s = signal;
        return s == null ? clock.millis() : s.lastReceivedMillis();
    }

    // ---- signalling, all on signalThread ----

    private final class SignalHandler implements SignalClient.Listener {
        @Override
        public void message(SignalResponse response) {
            if (closed.get()) {
                return;
            }
            signalThread.execute(() -> {
                ON_SIGNAL_THREAD.set(true);
                signalAssigned.join();
                handle(response);
            });
        }

        @Override
        public void lost(String reason) {
            if (!joined.isDone()) {
                joined.completeExceptionally(new LiveKitException(reason));
            }
            reportLost(reason);
        }
    }

    private void handle(SignalResponse response) {
        if (closed.get()) {
            return;
        }
        try {
            switch (response.getMessageCase()) {
                case JOIN -> onJoin(response.getJoin());
                case OFFER -> peers.onSubscriberOffer(response.getOffer());
                case ANSWER -> peers.onPublisherAnswer(response.getAnswer());
                case TRICKLE -> peers.onTrickle(response.getTrickle());
                case TRACK_PUBLISHED -> {
                    CompletableFuture<TrackPublishedResponse> f = pendingTracks.get(response.getTrackPublished().getCid());
                    if (f != null) {
                        f.complete(response.getTrackPublished());
                    }
                }
                case REQUEST_RESPONSE -> {
                    var rr = response.getRequestResponse();
                    if (rr.getReasonValue() != 0) {
                        LOG.atWarn().log(() -> "server refused request " + rr.getRequestId() + ": " + rr.getReason() + " " + rr.getMessage());
                        pendingTracks.values().forEach(f -> f.completeExceptionally(
                                new IllegalStateException(rr.getReason() + " " + rr.getMessage())));
                    }
                }
                case UPDATE -> events.participants(response.getUpdate().getParticipantsList());
                case SUBSCRIBED_QUALITY_UPDATE -> {
                    var q = response.getSubscribedQualityUpdate();
                    boolean wanted = q.getSubscribedQualitiesList().stream().anyMatch(x -> x.getEnabled())
                            || q.getSubscribedCodecsList().stream().anyMatch(c -> c.getQualitiesList().stream().anyMatch(x -> x.getEnabled()));
                    events.videoWanted(q.getTrackSid(), wanted);
                }
                case LEAVE -> events.leave(response.getLeave());
                default -> {
                    // why: pongs, speaker and quality updates and anything newer carry nothing we act on
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("signal message " + response.getMessageCase() + " failed", e);
        }
    }

    private void onJoin(JoinResponse join) {
        if (joined.isDone()) {
            return;
        }
        // why: the agent may speak or call us as soon as it sees us join, before join() returns (issue 11)
        events.joined(this, join);
        peers.open(join);
        channels.openOn(peers.publisher());
        keepalive.start(join.getPingInterval(), join.getPingTimeout());
        joined.complete(join);
    }

    private void reportLost(String reason) {
        if (!closed.get() && lostReported.compareAndSet(false, true)) {
            LOG.atInfo().log(() -> "room connection lost: " + reason);
            events.lost(reason);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
