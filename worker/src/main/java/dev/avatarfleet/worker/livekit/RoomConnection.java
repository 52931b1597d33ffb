package dev.avatarfleet.worker.livekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import livekit.LivekitModels;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.Ping;
import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.SignalTarget;
import livekit.LivekitRtc.TrackPublishedResponse;
import livekit.LivekitRtc.TrickleRequest;

/**
 * The avatar's presence in one LiveKit room over v0 signalling (reference §3.4): the signalling
 * link, a publisher peer connection (we offer; our tracks and the {@code _reliable} channel we send
 * data on) and a subscriber peer connection (the server offers; data from others arrives on its
 * channels). Signalling messages are handled one at a time on their own thread.
 */
public final class RoomConnection implements AutoCloseable {

    /** How long the server may take to send the JoinResponse after the upgrade. */
    public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
    /** How long the server may take to confirm a track (Rust's TRACK_PUBLISH_TIMEOUT). */
    public static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    /** How long the data channel may take to open after the join. */
    public static final Duration DATA_OPEN_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(RoomConnection.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_PING_INTERVAL_S = 5;
    private static final int DEFAULT_PING_TIMEOUT_S = 15;
    private static final int MAX_DATA_PACKET_BYTES = 256 * 1024;

    /** What the room tells the session. Called on connection threads; must not block for long. */
    public interface Events {
        void dataPacket(DataPacket packet);

        /** Participants changed (joined, updated, or state DISCONNECTED). */
        void participants(List<ParticipantInfo> updated);

        /** The server asked us to leave. */
        void leave(LeaveRequest leave);

        /** The link is gone (signal closed, ping timeout, peer connection failed). */
        void lost(String reason);
    }

    private final LiveKitUrl url;
    private final PeerConnectionFactory factory;
    private final ScheduledExecutorService timers;
    private final Events events;
    private final ExecutorService signalThread = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("lk-signal").factory());
    private static final ThreadLocal<Boolean> ON_SIGNAL_THREAD = ThreadLocal.withInitial(() -> false);
    private final PeerLink publisher = new PeerLink("publisher");
    private final PeerLink subscriber = new PeerLink("subscriber");
    private final CompletableFuture<JoinResponse> joined = new CompletableFuture<>();
    // why: the JoinResponse and the subscriber offer can arrive before connect() has returned the client
    private final CompletableFuture<Void> signalAssigned = new CompletableFuture<>();
    private final CompletableFuture<Void> reliableOpen = new CompletableFuture<>();
    private final Map<String, CompletableFuture<TrackPublishedResponse>> pendingTracks = new ConcurrentHashMap<>();
    private final List<RTCDataChannel> channels = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean lostReported = new AtomicBoolean();
    private volatile SignalClient signal;
    private volatile RTCDataChannel reliable;
    private volatile boolean negotiating;
    private volatile boolean renegotiate;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> watchdog;

    private RoomConnection(LiveKitUrl url, PeerConnectionFactory factory, ScheduledExecutorService timers, Events events) {
        this.url = url;
        this.factory = factory;
        this.timers = timers;
        this.events = events;
    }

    /**
     * Joins: opens the signalling link, waits for the JoinResponse, creates both peer connections
     * and negotiates the publisher so that data can be sent. Bounded by the connect, join and data
     * channel timeouts; on failure everything opened so far is closed again.
     *
     * @throws LiveKitException with a readable reason
     */
    public static RoomConnection join(LiveKitUrl url, String token, HttpClient http, PeerConnectionFactory factory,
                                      ScheduledExecutorService timers, Events events) throws LiveKitException {
        RoomConnection room = new RoomConnection(url, factory, timers, events);
        try {
            try {
                room.signal = SignalClient.connect(http, url, url.join(), token, room.new SignalHandler());
            } finally {
                room.signalAssigned.complete(null);
            }
            room.awaitJoin();
            room.negotiate();
            room.reliableOpen.get(DATA_OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
        long deadline = System.nanoTime() + PUBLISH_TIMEOUT.toNanos();
        try {
            for (int i = 0; i < publications.size(); i++) {
                String name = publications.get(i).request().getName();
                try {
                    long left = Math.max(0, deadline - System.nanoTime());
                    infos.add(confirmations.get(i).get(left, TimeUnit.NANOSECONDS).getTrack());
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
            RTCRtpTransceiver transceiver = publisher.pc().addTransceiver(p.track(), p.init());
            p.configure().accept(transceiver);
        }
        negotiate();
        return infos;
    }

    /** Sends a data packet on the reliable channel. */
    public void sendReliable(DataPacket packet) throws Exception {
        RTCDataChannel channel = reliable;
        if (channel == null || closed.get()) {
            throw new IllegalStateException("data channel not open");
        }
        byte[] bytes = packet.toByteArray();
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        synchronized (channel) {
            channel.send(new RTCDataChannelBuffer(buffer, true));
        }
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
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        pendingTracks.values().forEach(f -> f.completeExceptionally(new IllegalStateException("connection closed")));
        if (ON_SIGNAL_THREAD.get()) {
            closeMedia();
        } else {
            // why: native teardown must not race a signalling message being applied to the same PCs
            CompletableFuture<Void> teardown = CompletableFuture.runAsync(this::closeMedia, signalThread);
            try {
                teardown.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "media teardown did not finish cleanly", e);
            }
        }
        SignalClient s = signal;
        if (s != null) {
            s.close();
        }
        signalThread.shutdown();
    }

    private void closeMedia() {
        synchronized (channels) {
            for (RTCDataChannel channel : channels) {
                try {
                    channel.unregisterObserver();
                    channel.close();
                    channel.dispose();
                } catch (RuntimeException e) {
                    LOG.fine(() -> "data channel teardown: " + e);
                }
            }
            channels.clear();
            reliable = null;
        }
        publisher.close();
        subscriber.close();
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
                case OFFER -> onSubscriberOffer(response.getOffer());
                case ANSWER -> onPublisherAnswer(response.getAnswer());
                case TRICKLE -> onTrickle(response.getTrickle());
                case TRACK_PUBLISHED -> {
                    CompletableFuture<TrackPublishedResponse> f = pendingTracks.get(response.getTrackPublished().getCid());
                    if (f != null) {
                        f.complete(response.getTrackPublished());
                    }
                }
                case REQUEST_RESPONSE -> {
                    var rr = response.getRequestResponse();
                    if (rr.getReasonValue() != 0) {
                        LOG.warning(() -> "server refused request " + rr.getRequestId() + ": " + rr.getReason() + " " + rr.getMessage());
                        pendingTracks.values().forEach(f -> f.completeExceptionally(
                                new IllegalStateException(rr.getReason() + " " + rr.getMessage())));
                    }
                }
                case UPDATE -> events.participants(response.getUpdate().getParticipantsList());
                case LEAVE -> events.leave(response.getLeave());
                default -> {
                    // why: pongs, speaker and quality updates and anything newer carry nothing we act on
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "signal message " + response.getMessageCase() + " failed", e);
        }
    }

    private void onJoin(JoinResponse join) {
        if (joined.isDone()) {
            return;
        }
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
        for (var server : join.getIceServersList()) {
            RTCIceServer ice = new RTCIceServer();
            ice.urls = new ArrayList<>(server.getUrlsList());
            ice.username = server.getUsername();
            ice.password = server.getCredential();
            config.iceServers.add(ice);
        }
        if (join.hasClientConfiguration()
                && join.getClientConfiguration().getForceRelay() == LivekitModels.ClientConfigSetting.ENABLED) {
            config.iceTransportPolicy = RTCIceTransportPolicy.RELAY;
        }
        publisher.attach(factory.createPeerConnection(config, new Observer(publisher, SignalTarget.PUBLISHER)));
        subscriber.attach(factory.createPeerConnection(config, new Observer(subscriber, SignalTarget.SUBSCRIBER)));

        RTCDataChannelInit reliableInit = new RTCDataChannelInit();
        reliableInit.ordered = true;
        RTCDataChannel r = publisher.pc().createDataChannel("_reliable", reliableInit);
        RTCDataChannelInit lossyInit = new RTCDataChannelInit();
        lossyInit.ordered = false;
        lossyInit.maxRetransmits = 0;
        RTCDataChannel lossy = publisher.pc().createDataChannel("_lossy", lossyInit);
        watch(r, true);
        watch(lossy, false);

        int interval = join.getPingInterval() > 0 ? join.getPingInterval() : DEFAULT_PING_INTERVAL_S;
        int timeout = join.getPingTimeout() > 0 ? join.getPingTimeout() : DEFAULT_PING_TIMEOUT_S;
        pinger = timers.scheduleAtFixedRate(this::ping, interval, interval, TimeUnit.SECONDS);
        watchdog = timers.scheduleAtFixedRate(() -> checkAlive(timeout), 1, 1, TimeUnit.SECONDS);
        joined.complete(join);
    }

    private void ping() {
        SignalClient s = signal;
        if (s == null || closed.get()) {
            return;
        }
        long now = System.currentTimeMillis();
        s.send(SignalRequest.newBuilder().setPingReq(Ping.newBuilder().setTimestamp(now)).build());
        s.send(SignalRequest.newBuilder().setPing(now).build());
    }

    private void checkAlive(int timeoutSeconds) {
        SignalClient s = signal;
        if (s != null && !closed.get()
                && System.nanoTime() - s.lastReceivedNanos() > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
            reportLost("no signalling message for " + timeoutSeconds + " s");
        }
    }

    private void onSubscriberOffer(SessionDescription offer) {
        subscriber.setRemote(new RTCSessionDescription(RTCSdpType.OFFER, offer.getSdp()))
                .thenCompose(v -> subscriber.answer())
                .thenCompose(answer -> subscriber.setLocal(answer).thenApply(v -> answer))
                .thenAccept(answer -> signal.send(SignalRequest.newBuilder().setAnswer(SessionDescription.newBuilder()
                        .setType("answer").setSdp(answer.sdp).setId(offer.getId())).build()))
                .exceptionally(e -> {
                    reportLost("subscriber negotiation failed: " + rootMessage(e));
                    return null;
                })
                .join();
    }

    private void onPublisherAnswer(SessionDescription answer) {
        publisher.setRemote(new RTCSessionDescription(RTCSdpType.ANSWER, answer.getSdp()))
                .exceptionally(e -> {
                    reportLost("publisher negotiation failed: " + rootMessage(e));
                    return null;
                })
                .join();
        negotiating = false;
        if (renegotiate) {
            renegotiate = false;
            negotiateNow();
        }
    }

    private void onTrickle(TrickleRequest trickle) {
        RTCIceCandidate candidate;
        try {
            JsonNode init = JSON.readTree(trickle.getCandidateInit());
            String sdp = init.path("candidate").asText("");
            if (sdp.isEmpty()) {
                return; // end-of-candidates
            }
            candidate = new RTCIceCandidate(init.path("sdpMid").asText("0"), init.path("sdpMLineIndex").asInt(0), sdp);
        } catch (Exception e) {
            LOG.fine(() -> "bad trickle candidate ignored: " + e.getMessage());
            return;
        }
        (trickle.getTarget() == SignalTarget.SUBSCRIBER ? subscriber : publisher).addRemoteCandidate(candidate);
    }

    /** Offers on the publisher now, or right after the offer in flight is answered. */
    private void negotiate() {
        signalThread.execute(() -> {
            if (negotiating) {
                renegotiate = true;
            } else {
                negotiateNow();
            }
        });
    }

    private void negotiateNow() {
        if (closed.get()) {
            return;
        }
        negotiating = true;
        publisher.offer()
                .thenCompose(offer -> publisher.setLocal(offer).thenApply(v -> offer))
                .thenAccept(offer -> signal.send(SignalRequest.newBuilder().setOffer(SessionDescription.newBuilder()
                        .setType("offer").setSdp(offer.sdp)).build()))
                .exceptionally(e -> {
                    negotiating = false;
                    reportLost("publisher offer failed: " + rootMessage(e));
                    return null;
                })
                .join();
    }

    private void reportLost(String reason) {
        if (!closed.get() && lostReported.compareAndSet(false, true)) {
            LOG.info(() -> "room connection lost: " + reason);
            events.lost(reason);
        }
    }

    private void watch(RTCDataChannel channel, boolean isReliable) {
        synchronized (channels) {
            if (closed.get()) {
                channel.dispose();
                return;
            }
            channels.add(channel);
        }
        channel.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {
            }

            @Override
            public void onStateChange() {
                if (isReliable && channel.getState() == RTCDataChannelState.OPEN) {
                    reliable = channel;
                    reliableOpen.complete(null);
                }
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                // why: the buffer is native memory valid only during this callback
                int size = buffer.data.remaining();
                if (size > MAX_DATA_PACKET_BYTES || closed.get()) {
                    return;
                }
                byte[] bytes = new byte[size];
                buffer.data.get(bytes);
                try {
                    events.dataPacket(DataPacket.parseFrom(bytes));
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    LOG.fine("undecodable data packet dropped");
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "data packet handler failed", e);
                }
            }
        });
    }

    private final class Observer implements PeerConnectionObserver {
        private final PeerLink link;
        private final SignalTarget target;

        Observer(PeerLink link, SignalTarget target) {
            this.link = link;
            this.target = target;
        }

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            SignalClient s = signal;
            if (s == null || closed.get()) {
                return;
            }
            ObjectNode init = JSON.createObjectNode();
            init.put("candidate", candidate.sdp);
            init.put("sdpMid", candidate.sdpMid);
            init.put("sdpMLineIndex", candidate.sdpMLineIndex);
            s.send(SignalRequest.newBuilder().setTrickle(TrickleRequest.newBuilder()
                    .setCandidateInit(init.toString()).setTarget(target)).build());
        }

        @Override
        public void onDataChannel(RTCDataChannel channel) {
            watch(channel, false);
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.FAILED) {
                reportLost(link.name + " peer connection failed");
            }
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
