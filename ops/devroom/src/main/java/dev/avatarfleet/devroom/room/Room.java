package dev.avatarfleet.devroom.room;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.avatarfleet.devroom.DevRoomConfig;
import livekit.LivekitModels;
import livekit.LivekitRtc;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ServerInfo;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackType;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.MuteTrackRequest;
import livekit.LivekitRtc.ParticipantUpdate;
import livekit.LivekitRtc.RequestResponse;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.TrackPublishedResponse;
import livekit.LivekitRtc.UpdateParticipantMetadata;
import livekit.LivekitRtc.UpdateSubscription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room: who is in it, what they publish, and the rules for presence updates, subscriptions and data relay
 * (after livekit-server {@code pkg/rtc/room.go}). Membership changes hold the room's lock; sends happen outside it.
 */
public final class Room {
    /** Version announced in {@code server_info}; clients gate RPC on at least 1.8.0. */
    public static final String SERVER_VERSION = "1.13.5";
    static final int PROTOCOL = 17;
    private static final Logger LOG = LoggerFactory.getLogger(Room.class);
    private final String name;
    private final String sid = Ids.next("RM_");
    private final DevRoomConfig config;
    private final long createdAtMs;
    private final Map<String, Participant> members = new LinkedHashMap<>();
    private Instant emptySince;
    private boolean closed;

    /** @param name room name @param config server settings */
    public Room(String name, DevRoomConfig config) {
        this.name = name;
        this.config = config;
        this.createdAtMs = config.clock().millis();
        this.emptySince = config.clock().instant();
    }

    /** @return room name */
    public String name() {
        return name;
    }

    /** @return room sid */
    public String sid() {
        return sid;
    }

    /** @return the participants now in the room */
    public synchronized List<Participant> participants() {
        return new ArrayList<>(members.values());
    }

    /** @param identity identity @return that participant */
    public synchronized Optional<Participant> participant(String identity) {
        return Optional.ofNullable(members.get(identity));
    }

    /** @return LiveKit's {@code Room} message */
    public synchronized LivekitModels.Room info() {
        return LivekitModels.Room.newBuilder().setSid(sid).setName(name)
                .setEmptyTimeout((int) config.emptyRoomGrace().toSeconds())
                .setDepartureTimeout((int) config.emptyRoomGrace().toSeconds())
                .setMaxParticipants(config.maxParticipants()).setCreationTime(createdAtMs / 1000)
                .setCreationTimeMs(createdAtMs).setNumParticipants(members.size())
                .setNumPublishers((int) members.values().stream().filter(p -> p.trackCount() > 0).count())
                .build();
    }

    /** @return whether it was closed, now or before, for having stayed empty past the grace period */
    synchronized boolean closeIfExpired(Instant now) {
        if (!closed && members.isEmpty() && emptySince != null
                && !now.isBefore(emptySince.plus(config.emptyRoomGrace()))) {
            closed = true;
        }
        return closed;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Adds a participant, sends it the {@code JoinResponse}, tells the others and subscribes it to what is
     * already published. A participant with the same identity is evicted first ({@code DUPLICATE_IDENTITY}).
     *
     * @param p the new participant (media attached)
     * @throws RoomRefused when the room is full or closed
     */
    public void join(Participant p) throws RoomRefused {
        Participant evicted;
        List<Participant> others;
        synchronized (this) {
            if (closed) {
                throw new RoomRefused("room closed");
            }
            evicted = members.get(p.identity());
            int count = members.size() - (evicted == null ? 0 : 1);
            if (count >= config.maxParticipants()) {
                throw new RoomRefused("room is full (" + config.maxParticipants() + " participants)");
            }
            if (evicted != null) {
                members.remove(p.identity());
            }
            members.put(p.identity(), p);
            emptySince = null;
            others = members.values().stream().filter(o -> o != p).toList();
        }
        if (evicted != null) {
            departed(evicted, DisconnectReason.DUPLICATE_IDENTITY, true);
        }
        p.active();
        p.send(SignalResponse.newBuilder().setJoin(joinResponse(p, others)).build());
        p.run(() -> p.media().start());
        broadcastUpdate(p.info(), p);
        if (p.grants().canSubscribe() && p.client().autoSubscribe()) {
            for (Participant o : others) {
                for (PublishedTrack t : o.tracks()) {
                    if (t.media != null) {
                        subscribe(p, o, t);
                    }
                }
            }
        }
    }

    private JoinResponse joinResponse(Participant p, List<Participant> others) {
        return JoinResponse.newBuilder().setRoom(info()).setParticipant(p.info())
                .addAllOtherParticipants(others.stream().map(Participant::info).toList())
                .setServerVersion(SERVER_VERSION)
                .setServerInfo(ServerInfo.newBuilder().setEdition(ServerInfo.Edition.Standard)
                        .setVersion(SERVER_VERSION).setProtocol(PROTOCOL).setNodeId("devroom"))
                // why: the server always offers the subscriber connection and sends data on it (v0, dual PC)
                .setSubscriberPrimary(true)
                .setPingInterval((int) config.pingInterval().toSeconds())
                .setPingTimeout((int) config.pingTimeout().toSeconds())
                .build();
    }

    /**
     * Removes a participant: tells the others ({@code state=DISCONNECTED}), stops forwarding its tracks and closes
     * its connections. Idempotent.
     *
     * @param p          who leaves
     * @param reason     why
     * @param tellClient whether to send it a {@code leave} first (server-initiated removals)
     */
    public void leave(Participant p, DisconnectReason reason, boolean tellClient) {
        synchronized (this) {
            if (members.get(p.identity()) == p) {
                members.remove(p.identity());
                if (members.isEmpty()) {
                    emptySince = config.clock().instant();
                }
            }
        }
        departed(p, reason, tellClient);
    }

    private void departed(Participant p, DisconnectReason reason, boolean tellClient) {
        if (p.isGone()) {
            return;
        }
        if (tellClient) {
            p.send(SignalResponse.newBuilder().setLeave(LeaveRequest.newBuilder().setCanReconnect(false)
                    .setReason(reason).setAction(LeaveRequest.Action.DISCONNECT)).build());
        }
        if (!p.markGone()) {
            return;
        }
        p.disconnected(reason);
        ParticipantInfo gone = p.info();
        SignalResponse update = SignalResponse.newBuilder()
                .setUpdate(ParticipantUpdate.newBuilder().addParticipants(gone)).build();
        for (Participant q : participants()) {
            // why: after a DUPLICATE_IDENTITY eviction the newcomer has the same identity; SDKs match their local
            // participant by identity and must not read the old session's departure as their own
            if (q != p && !q.identity().equals(p.identity())) {
                q.send(update);
            }
        }
        List<CompletableFuture<Void>> unsubscribed = new ArrayList<>();
        List<PublishedTrack> tracks = p.tracks();
        for (Participant q : participants()) {
            for (PublishedTrack t : tracks) {
                if (q.subscribed().remove(t.info.getSid())) {
                    unsubscribed.add(q.call(() -> q.media().unsubscribe(t.info.getSid())));
                }
            }
        }
        // why: the one who left may have been the last to receive someone's video
        for (Participant q : participants()) {
            if (q != p) {
                q.tracks().forEach(t -> announceSubscribers(q, t, p));
            }
        }
        // why: a forwarded track may only be disposed once no subscriber's sender holds it (webrtc-java.md pitfall 3)
        CompletableFuture.allOf(unsubscribed.toArray(CompletableFuture[]::new))
                .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        tracks.stream().filter(t -> t.media != null).forEach(t -> t.media.close());
                    }
                });
        p.actor().execute(() -> {
            try {
                ParticipantMedia m = p.media();
                if (m != null) {
                    m.close();
                }
            } catch (RuntimeException e) {
                LOG.warn("closing media of {}", p.identity(), e);
            } finally {
                p.signal().close(reason.name());
            }
        });
        p.shutdownActor();
    }

    /** Closes the room: every participant gets {@code leave} with {@code reason}. */
    public void close(DisconnectReason reason) {
        List<Participant> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(members.values());
        }
        all.forEach(p -> leave(p, reason, true));
    }

    private void broadcastUpdate(ParticipantInfo info, Participant except) {
        SignalResponse update = SignalResponse.newBuilder()
                .setUpdate(ParticipantUpdate.newBuilder().addParticipants(info)).build();
        for (Participant q : participants()) {
            if (q != except) {
                q.send(update);
            }
        }
    }

    /**
     * Handles {@code AddTrackRequest}: answers {@code TrackPublishedResponse} and announces the track.
     *
     * @param p   publisher
     * @param req the request
     */
    public void addTrack(Participant p, AddTrackRequest req) {
        if (!p.grants().canPublish()) {
            p.send(refusal(RequestResponse.Reason.NOT_ALLOWED, "no permission to publish"));
            return;
        }
        Optional<PublishedTrack> existing = p.trackByCid(req.getCid());
        if (existing.isPresent()) {
            p.send(published(req.getCid(), existing.get().info));
            return;
        }
        if (p.trackCount() >= config.maxTracks()) {
            p.send(refusal(RequestResponse.Reason.LIMIT_EXCEEDED, "at most " + config.maxTracks() + " tracks"));
            return;
        }
        boolean video = req.getType() == TrackType.VIDEO;
        TrackInfo info = TrackInfo.newBuilder().setSid(Ids.next("TR_")).setType(req.getType()).setName(req.getName())
                .setSource(req.getSource()).setMuted(req.getMuted()).setWidth(req.getWidth())
                .setHeight(req.getHeight()).setSimulcast(false).setDisableDtx(req.getDisableDtx())
                .setStereo(req.getStereo())
                // why: forwarding re-encodes, subscribers always get VP8 and Opus (sfu-forwarding.md)
                .setMimeType(video ? "video/VP8" : "audio/opus").setStream(req.getStream())
                .build();
        p.addTrack(new PublishedTrack(req.getCid(), info));
        p.send(published(req.getCid(), info));
        broadcastUpdate(p.info(), p);
    }

    private static SignalResponse published(String cid, TrackInfo info) {
        return SignalResponse.newBuilder()
                .setTrackPublished(TrackPublishedResponse.newBuilder().setCid(cid).setTrack(info)).build();
    }

    private static SignalResponse refusal(RequestResponse.Reason reason, String message) {
        return SignalResponse.newBuilder()
                .setRequestResponse(RequestResponse.newBuilder().setReason(reason).setMessage(message)).build();
    }

    /**
     * @param p           publisher
     * @param msidTrackId track id in the offer
     * @param video       kind of the incoming track
     * @return sid of the matching announced track not yet receiving media
     */
    public Optional<String> claimTrack(Participant p, String msidTrackId, boolean video) {
        TrackType type = video ? TrackType.VIDEO : TrackType.AUDIO;
        synchronized (p) {
            Optional<PublishedTrack> match = p.trackByCid(msidTrackId).filter(t -> !t.claimed);
            if (match.isEmpty()) {
                // why: a client whose msid is not its cid still gets its oldest unclaimed track of that kind
                match = p.tracks().stream().filter(t -> !t.claimed && t.info.getType() == type).findFirst();
            }
            match.ifPresent(t -> t.claimed = true);
            return match.map(t -> t.info.getSid());
        }
    }

    /**
     * The media of one of {@code p}'s tracks arrived: send it to every participant that wants it.
     *
     * @param p     publisher
     * @param media forwarded copy
     */
    public void forwardReady(Participant p, ForwardedMedia media) {
        Optional<PublishedTrack> track = p.trackBySid(media.trackSid());
        if (track.isEmpty() || p.isGone()) {
            media.close();
            return;
        }
        track.get().media = media;
        for (Participant q : participants()) {
            if (q != p && q.grants().canSubscribe()
                    && (q.client().autoSubscribe() || q.wanted().contains(media.trackSid()))) {
                subscribe(q, p, track.get());
            }
        }
        announceSubscribers(p, track.get(), null);
    }

    /**
     * LiveKit's dynacast signal as a publisher gets it ({@code SubscribedQualityUpdate}): whether anyone receives its
     * video track now, sent when that changes (and once when its media first arrives), so a publisher may stop
     * encoding what nobody watches. The dev room forwards one layer, so the one quality is HIGH.
     *
     * @param leaving a participant leaving now, no longer counted (null: none)
     */
    private void announceSubscribers(Participant publisher, PublishedTrack t, Participant leaving) {
        if (t.info.getType() != TrackType.VIDEO || t.media == null || publisher.isGone()) {
            return;
        }
        String sid = t.info.getSid();
        boolean any = participants().stream().anyMatch(q -> q != publisher && q != leaving && !q.isGone() && q.subscribed().contains(sid));
        Boolean before = t.announcedSubscribed;
        if (before != null && before == any) {
            return;
        }
        t.announcedSubscribed = any;
        LivekitRtc.SubscribedQuality high = LivekitRtc.SubscribedQuality.newBuilder()
                .setQuality(LivekitModels.VideoQuality.HIGH).setEnabled(any).build();
        String mime = t.info.getMimeType();
        publisher.send(SignalResponse.newBuilder().setSubscribedQualityUpdate(LivekitRtc.SubscribedQualityUpdate.newBuilder()
                .setTrackSid(sid).addSubscribedQualities(high)
                .addSubscribedCodecs(LivekitRtc.SubscribedCodec.newBuilder()
                        .setCodec(mime.isEmpty() ? "vp8" : mime.toLowerCase(java.util.Locale.ROOT).replace("video/", ""))
                        .addQualities(high))).build());
    }

    private void subscribe(Participant q, Participant publisher, PublishedTrack t) {
        if (q.subscribed().add(t.info.getSid())) {
            ForwardedMedia m = t.media;
            q.run(() -> q.media().subscribe(publisher.sid(), m));
        }
    }

    /**
     * Handles {@code UpdateSubscription}.
     *
     * @param q   subscriber
     * @param req which tracks to (un)subscribe
     */
    public void updateSubscription(Participant q, UpdateSubscription req) {
        List<String> sids = new ArrayList<>(req.getTrackSidsList());
        req.getParticipantTracksList().forEach(pt -> sids.addAll(pt.getTrackSidsList()));
        for (String trackSid : sids) {
            for (Participant p : participants()) {
                if (p == q) {
                    continue;
                }
                Optional<PublishedTrack> t = p.trackBySid(trackSid);
                if (t.isEmpty()) {
                    continue;
                }
                if (req.getSubscribe()) {
                    // why: SDKs subscribe as soon as the track is announced, often before its media arrived;
                    // forwardReady honours the wish then
                    q.wanted().add(trackSid);
                    if (q.grants().canSubscribe() && t.get().media != null) {
                        subscribe(q, p, t.get());
                    }
                } else {
                    q.wanted().remove(trackSid);
                    if (q.subscribed().remove(trackSid)) {
                        q.run(() -> q.media().unsubscribe(trackSid));
                    }
                }
                announceSubscribers(p, t.get(), null);
            }
        }
    }

    /**
     * The client stopped sending one of its tracks: announce it, stop forwarding it and free the copy.
     *
     * @param p        publisher
     * @param trackSid the track
     */
    public void unpublish(Participant p, String trackSid) {
        Optional<PublishedTrack> removed = p.removeTrack(trackSid);
        if (removed.isEmpty()) {
            return;
        }
        p.send(SignalResponse.newBuilder().setTrackUnpublished(
                livekit.LivekitRtc.TrackUnpublishedResponse.newBuilder().setTrackSid(trackSid)).build());
        broadcastUpdate(p.info(), p);
        List<CompletableFuture<Void>> unsubscribed = new ArrayList<>();
        for (Participant q : participants()) {
            q.wanted().remove(trackSid);
            if (q.subscribed().remove(trackSid)) {
                unsubscribed.add(q.call(() -> q.media().unsubscribe(trackSid)));
            }
        }
        ForwardedMedia media = removed.get().media;
        if (media != null) {
            CompletableFuture.allOf(unsubscribed.toArray(CompletableFuture[]::new))
                    .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                    .whenComplete((ok, error) -> {
                        if (error == null) {
                            media.close();
                        }
                    });
        }
    }

    /** @param p publisher @param req mute or unmute one of its tracks */
    public void mute(Participant p, MuteTrackRequest req) {
        p.trackBySid(req.getSid()).ifPresent(t -> {
            p.updateTrack(t, t.info.toBuilder().setMuted(req.getMuted()).build());
            broadcastUpdate(p.info(), p);
        });
    }

    /** @param p participant @param req its new name, metadata or attributes */
    public void updateMetadata(Participant p, UpdateParticipantMetadata req) {
        if (!p.grants().canUpdateOwnMetadata()) {
            p.send(SignalResponse.newBuilder().setRequestResponse(RequestResponse.newBuilder()
                    .setRequestId(req.getRequestId()).setReason(RequestResponse.Reason.NOT_ALLOWED)
                    .setMessage("no permission to update own metadata")).build());
            return;
        }
        p.updateMetadata(req.getName(), req.getMetadata(), req.getAttributesMap());
        broadcastUpdate(p.info(), null);
    }

    /**
     * Relays a DataPacket from {@code from}: dropped without {@code canPublishData} or when malformed; otherwise
     * stamped with the sender's identity and sid and sent to its destinations (everyone else when none).
     *
     * @param from  sender
     * @param raw   serialized DataPacket
     * @param lossy whether it came on {@code _lossy}
     * @return identities it was sent to
     */
    public List<String> relay(Participant from, byte[] raw, boolean lossy) {
        if (!from.grants().canPublishData() || raw.length > config.maxMessageBytes()) {
            return List.of();
        }
        DataPacket packet;
        try {
            packet = DataPacket.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            LOG.debug("dropped malformed data packet from {}", from.identity());
            return List.of();
        }
        DataPacket.Builder stamped = packet.toBuilder()
                .setParticipantIdentity(from.identity()).setParticipantSid(from.sid());
        if (packet.hasUser()) {
            stamped.getUserBuilder().setParticipantIdentity(from.identity()).setParticipantSid(from.sid());
        }
        byte[] out = stamped.build().toByteArray();
        Map<String, Participant> present;
        synchronized (this) {
            present = new LinkedHashMap<>(members);
        }
        List<String> to = DataRouting.recipients(from.identity(), present.keySet(), packet.getDestinationIdentitiesList());
        for (String identity : to) {
            Participant r = present.get(identity);
            r.run(() -> r.media().sendData(out, lossy));
        }
        return to;
    }

    /** Refused join (room full or closed). */
    public static final class RoomRefused extends Exception {
        /** @param message why */
        public RoomRefused(String message) {
            super(message);
        }
    }
}
