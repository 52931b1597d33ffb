package dev.avatarfleet.worker.livekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import livekit.LivekitModels;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalTarget;
import livekit.LivekitRtc.TrickleRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two peer connections of a v0 LiveKit participant and their negotiation (reference §3.4): the
 * publisher (we offer; one offer in flight at a time, a renegotiation asked meanwhile follows its answer)
 * and the subscriber (the server offers, we answer); ICE candidates out as trickle requests, remote ones
 * in. Every method but {@link #negotiate()} runs on the connection's signalling thread.
 */
final class PeerNegotiation {

    private static final Logger LOG = LoggerFactory.getLogger(PeerNegotiation.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PeerConnectionFactory factory;
    private final Consumer<SignalRequest> send;
    private final Executor signalThread;
    private final Consumer<String> lost;
    private final BooleanSupplier closed;
    private final Consumer<RTCDataChannel> remoteChannel;
    private final PeerLink publisher = new PeerLink("publisher");
    private final PeerLink subscriber = new PeerLink("subscriber");
    private volatile boolean negotiating;
    private volatile boolean renegotiate;

    /**
     * @param send          where offers, answers and candidates go (the signalling link)
     * @param signalThread  the connection's signalling thread, where a renegotiation runs
     * @param lost          told when a negotiation or a peer connection fails
     * @param closed        true once the connection is closing: nothing more is offered
     * @param remoteChannel told of each data channel the server opens on the subscriber
     */
    PeerNegotiation(PeerConnectionFactory factory, Consumer<SignalRequest> send, Executor signalThread, Consumer<String> lost,
                    BooleanSupplier closed, Consumer<RTCDataChannel> remoteChannel) {
        this.factory = factory;
        this.send = send;
        this.signalThread = signalThread;
        this.lost = lost;
        this.closed = closed;
        this.remoteChannel = remoteChannel;
    }

    /** Creates both peer connections with the join's ICE servers (relay only when the server forces it). */
    void open(JoinResponse join) {
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
    }

    /** The publisher connection: our data channels and transceivers go on it. */
    RTCPeerConnection publisher() {
        return publisher.pc();
    }

    /** The server's offer for the subscriber: answered at once. */
    void onSubscriberOffer(SessionDescription offer) {
        subscriber.setRemote(new RTCSessionDescription(RTCSdpType.OFFER, offer.getSdp()))
                .thenCompose(v -> subscriber.answer())
                .thenCompose(answer -> subscriber.setLocal(answer).thenApply(v -> answer))
                .thenAccept(answer -> send.accept(SignalRequest.newBuilder().setAnswer(SessionDescription.newBuilder()
                        .setType("answer").setSdp(answer.sdp).setId(offer.getId())).build()))
                .exceptionally(e -> {
                    lost.accept("subscriber negotiation failed: " + RoomConnection.rootMessage(e));
                    return null;
                })
                .join();
    }

    /** The server's answer to our publisher offer; a renegotiation asked meanwhile goes out now. */
    void onPublisherAnswer(SessionDescription answer) {
        publisher.setRemote(new RTCSessionDescription(RTCSdpType.ANSWER, answer.getSdp()))
                .exceptionally(e -> {
                    lost.accept("publisher negotiation failed: " + RoomConnection.rootMessage(e));
                    return null;
                })
                .join();
        negotiating = false;
        if (renegotiate) {
            renegotiate = false;
            negotiateNow();
        }
    }

    /** A remote ICE candidate for either connection; the empty one (end of candidates) is dropped. */
    void onTrickle(TrickleRequest trickle) {
        RTCIceCandidate candidate;
        try {
            JsonNode init = JSON.readTree(trickle.getCandidateInit());
            String sdp = init.path("candidate").asText("");
            if (sdp.isEmpty()) {
                return; // end-of-candidates
            }
            candidate = new RTCIceCandidate(init.path("sdpMid").asText("0"), init.path("sdpMLineIndex").asInt(0), sdp);
        } catch (Exception e) {
            LOG.atDebug().log(() -> "bad trickle candidate ignored: " + e.getMessage());
            return;
        }
        (trickle.getTarget() == SignalTarget.SUBSCRIBER ? subscriber : publisher).addRemoteCandidate(candidate);
    }

    /** Offers on the publisher now, or right after the offer in flight is answered. Any thread. */
    void negotiate() {
        signalThread.execute(() -> {
            if (negotiating) {
                renegotiate = true;
            } else {
                negotiateNow();
            }
        });
    }

    private void negotiateNow() {
        if (closed.getAsBoolean()) {
            return;
        }
        negotiating = true;
        publisher.offer()
                .thenCompose(offer -> publisher.setLocal(offer).thenApply(v -> offer))
                .thenAccept(offer -> send.accept(SignalRequest.newBuilder().setOffer(SessionDescription.newBuilder()
                        .setType("offer").setSdp(offer.sdp)).build()))
                .exceptionally(e -> {
                    negotiating = false;
                    lost.accept("publisher offer failed: " + RoomConnection.rootMessage(e));
                    return null;
                })
                .join();
    }

    /** Detaches the senders and closes both connections (after the data channels). */
    void close() {
        publisher.close();
        subscriber.close();
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
            if (closed.getAsBoolean()) {
                return;
            }
            ObjectNode init = JSON.createObjectNode();
            init.put("candidate", candidate.sdp);
            init.put("sdpMid", candidate.sdpMid);
            init.put("sdpMLineIndex", candidate.sdpMLineIndex);
            send.accept(SignalRequest.newBuilder().setTrickle(TrickleRequest.newBuilder()
                    .setCandidateInit(init.toString()).setTarget(target)).build());
        }

        @Override
        public void onDataChannel(RTCDataChannel channel) {
            remoteChannel.accept(channel);
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.FAILED) {
                lost.accept(link.name + " peer connection failed");
            }
        }
    }
}
