package dev.avatarfleet.devroom.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.avatarfleet.devroom.room.ForwardedMedia;
import dev.avatarfleet.devroom.room.MediaEvents;
import dev.avatarfleet.devroom.room.Participant;
import dev.avatarfleet.devroom.room.ParticipantMedia;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.SignalTarget;
import livekit.LivekitRtc.TrickleRequest;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher and subscriber peer connections of one participant. All methods run on the participant's serial
 * executor; libwebrtc callbacks hop onto it through {@link Participant#run(Runnable)} unless they only read.
 */
final class WebRtcParticipantMedia implements ParticipantMedia {
    private static final Logger LOG = LoggerFactory.getLogger(WebRtcParticipantMedia.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    // why: data for a receiver that cannot keep up is dropped, like livekit-server's ErrDataDroppedBySlowReader
    private static final long MAX_BUFFERED_BYTES = 8L * 1024 * 1024;
    private static final int MAX_QUEUED_BEFORE_OPEN = 1024;
    private static final int MAX_PENDING_CANDIDATES = 256;
    private final Participant participant;
    private final MediaEvents events;
    private final PeerConnectionFactory receiveFactory;
    private final PeerConnectionFactory sendFactory;
    private final Map<String, RTCRtpSender> senders = new HashMap<>();
    private final Map<String, ForwardedTrack> published = new ConcurrentHashMap<>();
    private final List<RTCDataChannel> publisherChannels = new ArrayList<>();
    private final List<RTCIceCandidate> pendingPublisherCandidates = new ArrayList<>();
    private final List<RTCIceCandidate> pendingSubscriberCandidates = new ArrayList<>();
    private final Deque<Outgoing> queuedData = new ArrayDeque<>();
    private volatile Map<String, String> msidByMid = Map.of();
    private RTCPeerConnection publisher;
    private RTCPeerConnection subscriber;
    private RTCDataChannel reliable;
    private RTCDataChannel lossy;
    private boolean awaitingAnswer;
    private boolean renegotiate;
    private int offerId;
    private boolean closed;

    WebRtcParticipantMedia(Participant participant, MediaEvents events, PeerConnectionFactory receiveFactory,
                           PeerConnectionFactory sendFactory) {
        this.participant = participant;
        this.events = events;
        this.receiveFactory = receiveFactory;
        this.sendFactory = sendFactory;
    }

    @Override
    public void start() {
        subscriber = sendFactory.createPeerConnection(MediaEngine.configuration(), new Observer(SignalTarget.SUBSCRIBER));
        RTCDataChannelInit ordered = new RTCDataChannelInit();
        ordered.ordered = true;
        reliable = subscriber.createDataChannel("_reliable", ordered);
        RTCDataChannelInit unordered = new RTCDataChannelInit();
        unordered.ordered = false;
        unordered.maxRetransmits = 0;
        lossy = subscriber.createDataChannel("_lossy", unordered);
        for (RTCDataChannel dc : List.of(reliable, lossy)) {
            dc.registerObserver(new DataObserver(dc, false));
        }
        negotiate();
    }

    private void negotiate() {
        if (closed) {
            return;
        }
        if (awaitingAnswer) {
            renegotiate = true;
            return;
        }
        RTCSessionDescription offer = Async.create(o -> subscriber.createOffer(new RTCOfferOptions(), o));
        Async.set(o -> subscriber.setLocalDescription(offer, o));
        awaitingAnswer = true;
        offerId++;
        events.signal(SignalResponse.newBuilder().setOffer(SessionDescription.newBuilder()
                .setType("offer").setSdp(offer.sdp).setId(offerId)).build());
    }

    @Override
    public void onSubscriberAnswer(SessionDescription answer) {
        if (closed || subscriber == null || !awaitingAnswer) {
            return;
        }
        Async.set(o -> subscriber.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, answer.getSdp()), o));
        awaitingAnswer = false;
        pendingSubscriberCandidates.forEach(subscriber::addIceCandidate);
        pendingSubscriberCandidates.clear();
        if (renegotiate) {
            renegotiate = false;
            negotiate();
        }
    }

    @Override
    public void onPublisherOffer(SessionDescription offer) {
        if (closed) {
            return;
        }
        if (publisher == null) {
            publisher = receiveFactory.createPeerConnection(MediaEngine.configuration(), new Observer(SignalTarget.PUBLISHER));
        }
        Map<String, String> msids = new HashMap<>(msidByMid);
        msids.putAll(Sdp.msidTrackIdByMid(offer.getSdp()));
        msidByMid = Map.copyOf(msids);
        String sdp = Sdp.oneStreamPerTrack(offer.getSdp());
        Async.set(o -> publisher.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, sdp), o));
        RTCSessionDescription answer = Async.create(o -> publisher.createAnswer(new RTCAnswerOptions(), o));
        Async.set(o -> publisher.setLocalDescription(answer, o));
        events.signal(SignalResponse.newBuilder().setAnswer(SessionDescription.newBuilder()
                .setType("answer").setSdp(answer.sdp).setId(offer.getId())).build());
        pendingPublisherCandidates.forEach(publisher::addIceCandidate);
        pendingPublisherCandidates.clear();
        for (String mid : Sdp.notSendingMids(sdp)) {
            ForwardedTrack ended = published.remove(mid);
            if (ended != null) {
                ended.detach();
                events.trackEnded(ended.trackSid());
            }
        }
    }

    @Override
    public void onTrickle(TrickleRequest trickle) {
        if (closed) {
            return;
        }
        RTCIceCandidate candidate;
        try {
            JsonNode init = JSON.readTree(trickle.getCandidateInit());
            String sdp = init.path("candidate").asText("");
            if (sdp.isEmpty()) {
                return;
            }
            candidate = new RTCIceCandidate(init.path("sdpMid").asText("0"), init.path("sdpMLineIndex").asInt(0), sdp);
        } catch (Exception e) {
            LOG.debug("ignored malformed candidate from {}", participant.identity());
            return;
        }
        if (trickle.getTarget() == SignalTarget.PUBLISHER) {
            if (publisher == null || publisher.getRemoteDescription() == null) {
                if (pendingPublisherCandidates.size() < MAX_PENDING_CANDIDATES) {
                    pendingPublisherCandidates.add(candidate);
                }
            } else {
                publisher.addIceCandidate(candidate);
            }
        } else if (subscriber != null) {
            if (subscriber.getRemoteDescription() == null) {
                if (pendingSubscriberCandidates.size() < MAX_PENDING_CANDIDATES) {
                    pendingSubscriberCandidates.add(candidate);
                }
            } else {
                subscriber.addIceCandidate(candidate);
            }
        }
    }

    @Override
    public void subscribe(String publisherSid, ForwardedMedia media) {
        if (closed || subscriber == null || senders.containsKey(media.trackSid())) {
            return;
        }
        ForwardedTrack track = (ForwardedTrack) media;
        // why: the SDKs map a received track to its publication by the stream id "<participant sid>|<track sid>";
        // one stream per track keeps the subscriber from lip-syncing (and delaying) audio and video
        RTCRtpSender sender = subscriber.addTrack(track.outgoing(), List.of(publisherSid + "|" + track.trackSid()));
        senders.put(track.trackSid(), sender);
        negotiate();
    }

    @Override
    public void unsubscribe(String trackSid) {
        RTCRtpSender sender = senders.remove(trackSid);
        if (closed || sender == null) {
            return;
        }
        sender.replaceTrack(null);
        subscriber.removeTrack(sender);
        negotiate();
    }

    @Override
    public void sendData(byte[] packet, boolean overLossy) {
        if (closed) {
            return;
        }
        RTCDataChannel dc = overLossy ? lossy : reliable;
        if (dc == null || dc.getState() != RTCDataChannelState.OPEN) {
            if (queuedData.size() < MAX_QUEUED_BEFORE_OPEN) {
                queuedData.add(new Outgoing(packet, overLossy));
            }
            return;
        }
        send(dc, packet);
    }

    private void send(RTCDataChannel dc, byte[] packet) {
        if (dc.getBufferedAmount() > MAX_BUFFERED_BYTES) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(packet.length);
        buffer.put(packet).flip();
        try {
            dc.send(new RTCDataChannelBuffer(buffer, true));
        } catch (Exception e) {
            LOG.debug("data send to {} failed: {}", participant.identity(), e.toString());
        }
    }

    private void flushQueuedData() {
        while (!closed && !queuedData.isEmpty()) {
            Outgoing next = queuedData.peekFirst();
            RTCDataChannel dc = next.lossy() ? lossy : reliable;
            if (dc.getState() != RTCDataChannelState.OPEN) {
                return;
            }
            queuedData.pollFirst();
            send(dc, next.packet());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // why: sinks leave the publisher's tracks before its connection closes (the room disposes the copies later)
        published.values().forEach(ForwardedTrack::detach);
        List<RTCDataChannel> channels = new ArrayList<>(publisherChannels);
        if (reliable != null) {
            channels.add(reliable);
            channels.add(lossy);
        }
        for (RTCDataChannel dc : channels) {
            try {
                dc.unregisterObserver();
                dc.close();
                dc.dispose();
            } catch (RuntimeException | Error e) {
                LOG.debug("data channel teardown: {}", e.toString());
            }
        }
        // why: webrtc-java 0.14.0 close() never releases a sender's track; drop it first so it can be disposed
        senders.values().forEach(s -> s.replaceTrack(null));
        senders.clear();
        if (subscriber != null) {
            subscriber.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    private void onRemoteTrack(RTCRtpTransceiver transceiver) {
        String mid = transceiver.getMid();
        MediaStreamTrack track = transceiver.getReceiver().getTrack();
        boolean video = track instanceof VideoTrack;
        if (published.containsKey(mid) || !(video || track instanceof AudioTrack)) {
            return;
        }
        String msid = msidByMid.getOrDefault(mid, track.getId());
        Optional<String> sid = events.claimTrack(msid, video);
        if (sid.isEmpty()) {
            LOG.info("{} sent media (mid {}) without AddTrackRequest; ignored", participant.identity(), mid);
            return;
        }
        ForwardedTrack forwarded = video
                ? ForwardedTrack.video(sid.get(), (VideoTrack) track, sendFactory)
                : ForwardedTrack.audio(sid.get(), (AudioTrack) track, sendFactory);
        published.put(mid, forwarded);
        events.forwardReady(forwarded);
    }

    private record Outgoing(byte[] packet, boolean lossy) {
    }

    private final class Observer implements PeerConnectionObserver {
        private final SignalTarget target;

        Observer(SignalTarget target) {
            this.target = target;
        }

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            String sdp = candidate.sdp.startsWith("a=") ? candidate.sdp.substring(2) : candidate.sdp;
            ObjectNode init = JSON.createObjectNode();
            init.put("candidate", sdp);
            init.put("sdpMid", candidate.sdpMid);
            init.put("sdpMLineIndex", candidate.sdpMLineIndex);
            events.signal(SignalResponse.newBuilder().setTrickle(TrickleRequest.newBuilder()
                    .setCandidateInit(init.toString()).setTarget(target)).build());
        }

        @Override
        public void onDataChannel(RTCDataChannel channel) {
            if (target != SignalTarget.PUBLISHER) {
                return;
            }
            participant.run(() -> {
                if (closed) {
                    channel.dispose();
                    return;
                }
                publisherChannels.add(channel);
            });
            channel.registerObserver(new DataObserver(channel, true));
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            if (target != SignalTarget.PUBLISHER) {
                return;
            }
            try {
                onRemoteTrack(transceiver);
            } catch (RuntimeException | Error e) {
                LOG.warn("forwarding a track of {} failed", participant.identity(), e);
            }
        }
    }

    private final class DataObserver implements RTCDataChannelObserver {
        private final RTCDataChannel channel;
        private final boolean inbound;
        private final boolean lossyChannel;

        DataObserver(RTCDataChannel channel, boolean inbound) {
            this.channel = channel;
            this.inbound = inbound;
            this.lossyChannel = "_lossy".equals(channel.getLabel());
        }

        @Override
        public void onBufferedAmountChange(long previousAmount) {
        }

        @Override
        public void onStateChange() {
            if (!inbound && channel.getState() == RTCDataChannelState.OPEN) {
                participant.run(WebRtcParticipantMedia.this::flushQueuedData);
            }
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            // why: SDKs send on the publisher connection; a client that only has the subscriber one may send there
            // why: the buffer is native memory valid only during this callback
            byte[] bytes = new byte[buffer.data.remaining()];
            buffer.data.get(bytes);
            events.dataReceived(bytes, lossyChannel);
        }
    }
}
