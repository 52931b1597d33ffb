package dev.avatarfleet.bench;

import dev.avatarfleet.worker.livekit.AvatarTracks;
import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publisher/receiver peer-connection pairs inside this process, so the benchmark pays the real encoder and
 * packetiser of each session: the publisher carries the worker's own {@link AvatarTracks} (its transceiver set-up
 * and codec preference), the receiver decodes and counts frames. ICE needs a non-loopback interface: run it
 * inside a network namespace (ops/bench/run does).
 */
final class LocalPeers implements AutoCloseable {

    private final AudioDeviceModule pubAudio = new AudioDeviceModule(AudioLayer.kDummyAudio);
    private final AudioDeviceModule recvAudio = new AudioDeviceModule(AudioLayer.kDummyAudio);
    private final PeerConnectionFactory publishers = new PeerConnectionFactory(pubAudio);
    private final PeerConnectionFactory receivers = new PeerConnectionFactory(recvAudio);
    private final List<Pair> pairs = new ArrayList<>();

    /** One session's publisher and receiver. */
    final class Pair {
        final AvatarTracks tracks;
        final RTCPeerConnection pub;
        final RTCPeerConnection recv;
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        private RTCRtpSender videoSender;
        private RTCRtpSender audioSender;
        private VideoTrack remoteVideo;
        private VideoTrackSink sink;

        Pair(int width, int height, String codec, Integer maxBitrate) throws Exception {
            tracks = new AvatarTracks(publishers, width, height);
            RTCConfiguration config = new RTCConfiguration();
            config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
            config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
            List<RTCIceCandidate> toRecv = new ArrayList<>();
            List<RTCIceCandidate> toPub = new ArrayList<>();
            Pair self = this;
            recv = receivers.createPeerConnection(config, new PeerConnectionObserver() {
                @Override
                public void onIceCandidate(RTCIceCandidate c) {
                    synchronized (toPub) {
                        toPub.add(c);
                    }
                }

                @Override
                public void onTrack(RTCRtpTransceiver t) {
                    MediaStreamTrack track = t.getReceiver().getTrack();
                    if (track instanceof VideoTrack v) {
                        self.remoteVideo = v;
                        self.sink = frame -> {
                            received.incrementAndGet();
                            frame.release();
                        };
                        v.addSink(self.sink);
                    }
                }
            });
            pub = publishers.createPeerConnection(config, new PeerConnectionObserver() {
                @Override
                public void onIceCandidate(RTCIceCandidate c) {
                    synchronized (toRecv) {
                        toRecv.add(c);
                    }
                }

                @Override
                public void onConnectionChange(RTCPeerConnectionState state) {
                    if (state == RTCPeerConnectionState.CONNECTED) {
                        connected.complete(null);
                    }
                }
            });
            var init = tracks.videoInit("bench|camera");
            if (maxBitrate != null) {
                init.sendEncodings.get(0).maxBitrate = maxBitrate;
            }
            RTCRtpTransceiver video = pub.addTransceiver(tracks.videoTrack(), init);
            prefer(video, codec);
            videoSender = video.getSender();
            audioSender = pub.addTransceiver(tracks.audioTrack(), tracks.audioInit("bench|microphone")).getSender();
            RTCSessionDescription offer = create(pub, true);
            set(pub, offer, true);
            set(recv, offer, false);
            RTCSessionDescription answer = create(recv, false);
            set(recv, answer, true);
            set(pub, answer, false);
            // why: candidates are exchanged only once both descriptions are applied
            Thread.sleep(300);
            synchronized (toRecv) {
                toRecv.forEach(recv::addIceCandidate);
            }
            synchronized (toPub) {
                toPub.forEach(pub::addIceCandidate);
            }
            connected.get(10, TimeUnit.SECONDS);
        }

        private void prefer(RTCRtpTransceiver video, String codec) {
            if (codec == null || codec.isEmpty() || codec.equals("default")) {
                AvatarTracks.preferH264(publishers, video);
                return;
            }
            List<RTCRtpCodecCapability> ordered = new ArrayList<>();
            for (String name : List.of(codec.toLowerCase(Locale.ROOT), "rtx", "red", "ulpfec")) {
                for (RTCRtpCodecCapability c : publishers.getRtpSenderCapabilities(MediaType.VIDEO).getCodecs()) {
                    if (c.getName().toLowerCase(Locale.ROOT).equals(name)) {
                        ordered.add(c);
                    }
                }
            }
            video.setCodecPreferences(ordered);
        }

        /** The outbound video's codec and encoder implementation, from the sender's stats. */
        String encoder() throws Exception {
            CompletableFuture<RTCStatsReport> f = new CompletableFuture<>();
            pub.getStats(f::complete);
            RTCStatsReport r = f.get(5, TimeUnit.SECONDS);
            String impl = "?";
            String codecId = null;
            Object bitrate = null;
            for (var s : r.getStats().values()) {
                if (s.getType().toString().equals("OUTBOUND_RTP") && "video".equals(String.valueOf(s.getAttributes().get("kind")))) {
                    impl = String.valueOf(s.getAttributes().get("encoderImplementation"));
                    codecId = String.valueOf(s.getAttributes().get("codecId"));
                    bitrate = s.getAttributes().get("targetBitrate");
                }
            }
            String mime = "?";
            if (codecId != null && r.getStats().get(codecId) != null) {
                mime = String.valueOf(r.getStats().get(codecId).getAttributes().get("mimeType"));
            }
            return mime + " (" + impl + ", target " + bitrate + " bps)";
        }

        void close() {
            if (remoteVideo != null && sink != null) {
                remoteVideo.removeSink(sink);
            }
            videoSender.replaceTrack(null);
            audioSender.replaceTrack(null);
            pub.close();
            recv.close();
            tracks.close();
        }
    }

    Pair add(int width, int height, String codec, Integer maxBitrate) throws Exception {
        Pair p = new Pair(width, height, codec, maxBitrate);
        pairs.add(p);
        return p;
    }

    @Override
    public void close() {
        for (Pair p : pairs) {
            try {
                p.close();
            } catch (RuntimeException | Error e) {
                System.err.println("pair not closed cleanly: " + e);
            }
        }
        pairs.clear();
        publishers.dispose();
        receivers.dispose();
        pubAudio.dispose();
        recvAudio.dispose();
    }

    private static RTCSessionDescription create(RTCPeerConnection pc, boolean offer) throws Exception {
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        CreateSessionDescriptionObserver o = new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription d) {
                f.complete(d);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new IllegalStateException(error));
            }
        };
        if (offer) {
            pc.createOffer(new RTCOfferOptions(), o);
        } else {
            pc.createAnswer(new RTCAnswerOptions(), o);
        }
        return f.get(5, TimeUnit.SECONDS);
    }

    private static void set(RTCPeerConnection pc, RTCSessionDescription d, boolean local) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        SetSessionDescriptionObserver o = new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                f.complete(null);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new IllegalStateException(error));
            }
        };
        if (local) {
            pc.setLocalDescription(d, o);
        } else {
            pc.setRemoteDescription(d, o);
        }
        f.get(5, TimeUnit.SECONDS);
    }
}
