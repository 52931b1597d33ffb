package dev.avatarfleet.worker.livekit;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.RenderedFrame;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import java.net.http.HttpClient;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.Ping;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs, once at worker start and entirely inside this process, the code a first session would otherwise
 * run cold (JVM class loading, JIT, libwebrtc's lazy native set-up), then frees everything it created:
 * <ul>
 * <li>signalling: {@link SignalClient} opens a WebSocket to a {@link LoopbackSignalPeer} on 127.0.0.1,
 *     decodes one {@code SignalResponse}, sends one request and closes;</li>
 * <li>media: a publisher peer connection as {@link RoomConnection} builds one (bundle, data channels, the
 *     avatar's two sendonly transceivers with H.264 preferred), an offer answered by a second local peer
 *     connection, both descriptions applied, and one tick pushed into the tracks. No ICE candidate is ever
 *     exchanged, so nothing connects and no packet leaves the process.</li>
 * </ul>
 * Teardown follows reference webrtc-java.md: data channels, senders detached, peer connections closed,
 * tracks and sources disposed. A failing step is logged and skipped; the worker runs either way.
 */
public final class ConnectionWarmup {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWarmup.class);
    private static final long STEP_TIMEOUT_MS = 5_000;

    /**
     * What one warm-up did: milliseconds per step, whether each step ran to its end, and every native object
     * it could not free (empty when clean).
     */
    public record Result(long signallingMs, boolean signalled, long mediaMs, boolean negotiated, List<String> notFreed) {
    }

    private ConnectionWarmup() {
    }

    /** Runs both rounds; never throws. */
    public static Result run(HttpClient http, PeerConnectionFactory factory, int width, int height) {
        List<String> notFreed = new ArrayList<>();
        long t0 = System.nanoTime();
        boolean signalled = false;
        boolean negotiated = false;
        try {
            signalling(http);
            signalled = true;
        } catch (Exception e) {
            LOG.warn("signalling warm-up failed (the first session pays the cold start)", e);
        }
        long t1 = System.nanoTime();
        try {
            media(factory, width, height, notFreed);
            negotiated = true;
        } catch (Exception e) {
            LOG.warn("media warm-up failed (the first session pays the cold start)", e);
        }
        long t2 = System.nanoTime();
        Result result = new Result((t1 - t0) / 1_000_000, signalled, (t2 - t1) / 1_000_000, negotiated, List.copyOf(notFreed));
        LOG.atInfo().log(() -> "session paths warm: signalling " + result.signallingMs() + " ms, media " + result.mediaMs() + " ms"
                + (result.notFreed().isEmpty() ? "" : ", not freed: " + result.notFreed()));
        return result;
    }

    /** One WebSocket round through {@link SignalClient}: upgrade, one JoinResponse in, one ping out, close. */
    static void signalling(HttpClient http) throws Exception {
        byte[] join = SignalResponse.newBuilder().setJoin(JoinResponse.newBuilder()
                .setParticipant(ParticipantInfo.newBuilder().setSid("PA_warmup").setIdentity("warmup"))
                .setPingInterval(5).setPingTimeout(15)).build().toByteArray();
        try (LoopbackSignalPeer peer = LoopbackSignalPeer.start(join)) {
            CompletableFuture<SignalResponse> received = new CompletableFuture<>();
            LiveKitUrl url = LiveKitUrl.parse(peer.url());
            SignalClient client = SignalClient.connect(http, url, url.join(), "warmup", InstantSource.system(),
                    new SignalClient.Listener() {
                        @Override
                        public void message(SignalResponse response) {
                            received.complete(response);
                        }

                        @Override
                        public void lost(String reason) {
                            received.completeExceptionally(new IllegalStateException(reason));
                        }
                    });
            try {
                SignalResponse response = received.get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                if (!response.hasJoin()) {
                    throw new IllegalStateException("warm-up peer sent " + response.getMessageCase());
                }
                client.send(SignalRequest.newBuilder().setPingReq(Ping.newBuilder().setTimestamp(System.currentTimeMillis())).build());
            } finally {
                client.close();
            }
            peer.done().get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** A local offer/answer between a publisher shaped like a session's and a second peer connection; freed again. */
    static void media(PeerConnectionFactory factory, int width, int height, List<String> notFreed) throws Exception {
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
        PeerLink publisher = new PeerLink("warmup-publisher");
        PeerLink answerer = new PeerLink("warmup-answerer");
        List<RTCDataChannel> channels = new ArrayList<>();
        AvatarTracks tracks = null;
        try {
            publisher.attach(factory.createPeerConnection(config, new Quiet()));
            answerer.attach(factory.createPeerConnection(config, new Quiet()));
            RTCDataChannelInit reliable = new RTCDataChannelInit();
            reliable.ordered = true;
            channels.add(publisher.pc().createDataChannel("_reliable", reliable));
            RTCDataChannelInit lossy = new RTCDataChannelInit();
            lossy.ordered = false;
            lossy.maxRetransmits = 0;
            channels.add(publisher.pc().createDataChannel("_lossy", lossy));
            channels.forEach(c -> c.registerObserver(new QuietChannel()));

            tracks = new AvatarTracks(factory, width, height);
            RTCRtpTransceiver video = publisher.pc().addTransceiver(tracks.videoTrack(), tracks.videoInit("warmup|camera"));
            AvatarTracks.preferH264(factory, video);
            publisher.pc().addTransceiver(tracks.audioTrack(), tracks.audioInit("warmup|microphone"));

            RTCSessionDescription offer = publisher.offer().get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            publisher.setLocal(offer).get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            answerer.setRemote(new RTCSessionDescription(RTCSdpType.OFFER, offer.sdp)).get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            RTCSessionDescription answer = answerer.answer().get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            answerer.setLocal(answer).get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            publisher.setRemote(new RTCSessionDescription(RTCSdpType.ANSWER, answer.sdp)).get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            // why: one tick through the session's push path (I420 copy into a native buffer, audio pieces)
            tracks.accept(new RenderedFrame(0, width, height, new byte[width * height * 3 / 2],
                    new short[AudioFeed.SAMPLES_PER_TICK], false));
        } finally {
            for (RTCDataChannel c : channels) {
                try {
                    c.unregisterObserver();
                    c.close();
                    c.dispose();
                } catch (RuntimeException | Error e) {
                    notFreed.add("data channel: " + e.getMessage());
                }
            }
            publisher.close();
            answerer.close();
            if (tracks != null) {
                tracks.close();
                if (tracks.disposeFailures() > 0) {
                    notFreed.add(tracks.disposeFailures() + " track/source object(s)");
                }
            }
        }
    }

    /** Local only: candidates are gathered and dropped, never sent anywhere. */
    private static final class Quiet implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
        }
    }

    private static final class QuietChannel implements RTCDataChannelObserver {
        @Override
        public void onBufferedAmountChange(long previousAmount) {
        }

        @Override
        public void onStateChange() {
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
        }
    }
}
