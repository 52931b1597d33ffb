package dev.avatarfleet.devroom.room;

import dev.avatarfleet.devroom.DevRoomConfig;
import dev.avatarfleet.devroom.auth.Grants;
import dev.avatarfleet.testkit.MutableClock;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitModels.TrackType;
import livekit.LivekitModels.UserPacket;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.RequestResponse;
import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.TrickleRequest;
import livekit.LivekitRtc.UpdateParticipantMetadata;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence, bounds and data relay of one room, with recording signalling and media in place of sockets and WebRTC. */
class RoomTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final DevRoomConfig config = DevRoomConfig.defaults("127.0.0.1").withBounds(4, 4096, 2, 100).withClock(clock);
    private final RoomRegistry registry = new RoomRegistry(config);

    private static final class Recorder implements SignalChannel, ParticipantMedia {
        final List<SignalResponse> sent = new CopyOnWriteArrayList<>();
        final List<byte[]> data = new CopyOnWriteArrayList<>();
        volatile String closedWith;
        volatile boolean started;

        @Override public void send(SignalResponse response) { sent.add(response); }
        @Override public void close(String reason) { closedWith = reason; }
        @Override public void start() { started = true; }
        @Override public void onPublisherOffer(SessionDescription offer) { }
        @Override public void onSubscriberAnswer(SessionDescription answer) { }
        @Override public void onTrickle(TrickleRequest trickle) { }
        final List<String> subscriptions = new CopyOnWriteArrayList<>();
        @Override public void subscribe(String publisherSid, ForwardedMedia media) { subscriptions.add(media.trackSid()); }
        @Override public void unsubscribe(String trackSid) { }
        @Override public void sendData(byte[] packet, boolean lossy) { data.add(packet); }
        @Override public void close() { }

        List<ParticipantInfo> updatesAbout(String identity) {
            return sent.stream().filter(SignalResponse::hasUpdate)
                    .flatMap(r -> r.getUpdate().getParticipantsList().stream())
                    .filter(p -> p.getIdentity().equals(identity)).toList();
        }
    }

    private record Joined(Participant participant, Recorder recorder) {
    }

    private Joined join(Room room, String identity, boolean canPublishData, boolean canUpdateMetadata) throws Exception {
        return join(room, identity, canPublishData, canUpdateMetadata, true);
    }

    private Joined join(Room room, String identity, boolean canPublishData, boolean canUpdateMetadata,
                        boolean autoSubscribe) throws Exception {
        Recorder r = new Recorder();
        Grants g = new Grants(identity, identity + "-name", false, "", Map.of(), room.name(), true, true, true,
                canPublishData, canUpdateMetadata, false, false);
        Participant p = new Participant(g, new ClientDetails("test", 17, 0, autoSubscribe), r, clock);
        p.attachMedia(r);
        room.join(p);
        return new Joined(p, r);
    }

    @Test
    void joinAndLeaveAreAnnouncedToTheOthers() throws Exception {
        Room room = registry.open("presence");
        Joined a = join(room, "a", true, false);
        Joined b = join(room, "b", true, false);
        SignalResponse bJoin = b.recorder.sent.get(0);
        assertEquals("a", bJoin.getJoin().getOtherParticipants(0).getIdentity());
        await().atMost(Duration.ofSeconds(2)).until(() -> b.recorder.started);
        assertEquals(ParticipantInfo.State.ACTIVE, a.recorder.updatesAbout("b").get(0).getState());

        room.leave(b.participant, DisconnectReason.CLIENT_INITIATED, false);
        ParticipantInfo left = a.recorder.updatesAbout("b").getLast();
        assertEquals(ParticipantInfo.State.DISCONNECTED, left.getState());
        assertEquals(DisconnectReason.CLIENT_INITIATED, left.getDisconnectReason());
        await().atMost(Duration.ofSeconds(2)).until(() -> b.recorder.closedWith != null);
        assertEquals(1, room.participants().size());
    }

    @Test
    void sameIdentityEvictsTheOldSession() throws Exception {
        Room room = registry.open("dup");
        Joined first = join(room, "a", true, false);
        Joined other = join(room, "b", true, false);
        Joined second = join(room, "a", true, false);
        assertTrue(second.recorder.updatesAbout("a").isEmpty(), "the newcomer never hears of the old session");
        assertEquals(ParticipantInfo.State.DISCONNECTED, other.recorder.updatesAbout("a").stream()
                .filter(i -> i.getSid().equals(first.participant.sid())).toList().getLast().getState());
        assertTrue(first.recorder.sent.stream().anyMatch(r -> r.hasLeave()
                && r.getLeave().getReason() == DisconnectReason.DUPLICATE_IDENTITY));
        assertEquals(2, room.participants().size());
    }

    @Test
    void roomFullAndTrackLimitAreRefused() throws Exception {
        Room room = registry.open("bounds");
        Joined a = join(room, "a", true, false);
        join(room, "b", true, false);
        join(room, "c", true, false);
        join(room, "d", true, false);
        assertThrows(Room.RoomRefused.class, () -> join(room, "e", true, false));
        for (int i = 0; i < 3; i++) {
            room.addTrack(a.participant, AddTrackRequest.newBuilder().setCid("cid" + i).setName("t" + i)
                    .setType(TrackType.VIDEO).setSource(TrackSource.CAMERA).build());
        }
        assertEquals(2, a.recorder.sent.stream().filter(SignalResponse::hasTrackPublished).count());
        assertEquals(RequestResponse.Reason.LIMIT_EXCEEDED, a.recorder.sent.stream()
                .filter(SignalResponse::hasRequestResponse).findFirst().orElseThrow().getRequestResponse().getReason());
    }

    @Test
    void publishedTracksKeepNameAndSourceForTheOthers() throws Exception {
        Room room = registry.open("tracks");
        Joined avatar = join(room, "avatar", true, false);
        Joined agent = join(room, "agent", true, false);
        room.addTrack(avatar.participant, AddTrackRequest.newBuilder().setCid("v").setName("avatar_video")
                .setType(TrackType.VIDEO).setSource(TrackSource.CAMERA).setWidth(512).setHeight(512).build());
        var published = avatar.recorder.sent.stream().filter(SignalResponse::hasTrackPublished).findFirst().orElseThrow();
        assertEquals("v", published.getTrackPublished().getCid());
        assertTrue(published.getTrackPublished().getTrack().getSid().startsWith("TR_"));
        ParticipantInfo seen = agent.recorder.updatesAbout("avatar").getLast();
        assertEquals("avatar_video", seen.getTracks(0).getName());
        assertEquals(TrackSource.CAMERA, seen.getTracks(0).getSource());
        assertEquals(room.claimTrack(avatar.participant, "v", true).orElseThrow(), seen.getTracks(0).getSid());
        assertTrue(room.claimTrack(avatar.participant, "v", true).isEmpty(), "a track is claimed once");
    }

    @Test
    void forwardedTracksReachAutoSubscribersAndThoseWhoAskedEvenBeforeMediaArrived() throws Exception {
        Room room = registry.open("subscriptions");
        Joined avatar = join(room, "avatar", true, false);
        Joined auto = join(room, "auto", true, false);
        Joined manual = join(room, "manual", true, false, false);
        Joined bystander = join(room, "bystander", true, false, false);
        room.addTrack(avatar.participant, AddTrackRequest.newBuilder().setCid("v").setName("avatar_video")
                .setType(TrackType.VIDEO).setSource(TrackSource.CAMERA).build());
        String sid = room.claimTrack(avatar.participant, "v", true).orElseThrow();
        room.updateSubscription(manual.participant, livekit.LivekitRtc.UpdateSubscription.newBuilder()
                .addTrackSids(sid).setSubscribe(true).build());
        room.forwardReady(avatar.participant, new ForwardedMedia() {
            @Override public String trackSid() { return sid; }
            @Override public void close() { }
        });
        await().atMost(Duration.ofSeconds(2)).until(() -> auto.recorder.subscriptions.equals(List.of(sid))
                && manual.recorder.subscriptions.equals(List.of(sid)));
        assertTrue(bystander.recorder.subscriptions.isEmpty());
        assertTrue(avatar.recorder.subscriptions.isEmpty(), "never to the publisher itself");
    }

    @Test
    void aPublisherIsToldWhetherAnyoneReceivesItsVideo() throws Exception {
        Room room = registry.open("dynacast");
        Joined avatar = join(room, "avatar", true, false);
        Joined viewer = join(room, "viewer", true, false, false);
        room.addTrack(avatar.participant, AddTrackRequest.newBuilder().setCid("v").setName("avatar_video")
                .setType(TrackType.VIDEO).setSource(TrackSource.CAMERA).build());
        String sid = room.claimTrack(avatar.participant, "v", true).orElseThrow();
        room.forwardReady(avatar.participant, new ForwardedMedia() {
            @Override public String trackSid() { return sid; }
            @Override public void close() { }
        });
        assertEquals(List.of(false), qualityUpdates(avatar.recorder, sid), "nobody subscribed: nothing to encode");
        room.updateSubscription(viewer.participant, livekit.LivekitRtc.UpdateSubscription.newBuilder()
                .addTrackSids(sid).setSubscribe(true).build());
        assertEquals(List.of(false, true), qualityUpdates(avatar.recorder, sid));
        room.leave(viewer.participant, livekit.LivekitModels.DisconnectReason.CLIENT_INITIATED, false);
        assertEquals(List.of(false, true, false), qualityUpdates(avatar.recorder, sid), "the only viewer left");
    }

    private static List<Boolean> qualityUpdates(Recorder r, String sid) {
        return r.sent.stream().filter(SignalResponse::hasSubscribedQualityUpdate).map(SignalResponse::getSubscribedQualityUpdate)
                .filter(u -> u.getTrackSid().equals(sid))
                .map(u -> u.getSubscribedQualitiesList().stream().anyMatch(livekit.LivekitRtc.SubscribedQuality::getEnabled)).toList();
    }

    @Test
    void dataIsStampedRoutedAndDroppedWithoutPermission() throws Exception {
        Room room = registry.open("data");
        Joined agent = join(room, "agent", true, false);
        Joined avatar = join(room, "avatar", true, false);
        Joined user = join(room, "user", false, false);
        byte[] packet = DataPacket.newBuilder().setParticipantIdentity("spoofed").addDestinationIdentities("avatar")
                .setUser(UserPacket.newBuilder().setPayload(com.google.protobuf.ByteString.copyFromUtf8("hi"))).build()
                .toByteArray();
        assertEquals(List.of("avatar"), room.relay(agent.participant, packet, false));
        await().atMost(Duration.ofSeconds(2)).until(() -> avatar.recorder.data.size() == 1);
        DataPacket got = DataPacket.parseFrom(avatar.recorder.data.get(0));
        assertEquals("agent", got.getParticipantIdentity());
        assertEquals(agent.participant.sid(), got.getParticipantSid());
        assertEquals("hi", got.getUser().getPayload().toStringUtf8());
        assertTrue(user.recorder.data.isEmpty());

        assertEquals(List.of(), room.relay(user.participant, packet, false), "no canPublishData: dropped");
        assertEquals(List.of(), room.relay(agent.participant, new byte[] {(byte) 0xff, 0x01}, false), "malformed: dropped");
        assertEquals(List.of(), room.relay(agent.participant, new byte[5000], false), "oversized: dropped");
        assertEquals(List.of("avatar", "user"), room.relay(agent.participant,
                DataPacket.newBuilder().setUser(UserPacket.getDefaultInstance()).build().toByteArray(), true));
    }

    @Test
    void metadataAndAttributeChangesNeedTheGrantAndReachEveryone() throws Exception {
        Room room = registry.open("meta");
        Joined a = join(room, "a", true, true);
        Joined b = join(room, "b", true, false);
        room.updateMetadata(a.participant, UpdateParticipantMetadata.newBuilder().setMetadata("m1")
                .putAttributes("k", "v").build());
        ParticipantInfo seen = b.recorder.updatesAbout("a").getLast();
        assertEquals("m1", seen.getMetadata());
        assertEquals("v", seen.getAttributesMap().get("k"));
        room.updateMetadata(b.participant, UpdateParticipantMetadata.newBuilder().setMetadata("nope").build());
        assertEquals(RequestResponse.Reason.NOT_ALLOWED, b.recorder.sent.stream().filter(SignalResponse::hasRequestResponse)
                .findFirst().orElseThrow().getRequestResponse().getReason());
        assertFalse(a.recorder.updatesAbout("b").stream().anyMatch(p -> p.getMetadata().equals("nope")));
    }

    @Test
    void silentParticipantsAreRemovedAndEmptyRoomsClosedAfterGrace() throws Exception {
        Room room = registry.open("sweep");
        Joined a = join(room, "a", true, false);
        Joined b = join(room, "b", true, false);
        clock.advance(Duration.ofSeconds(10));
        a.participant.touch();
        clock.advance(Duration.ofSeconds(6));
        registry.sweep();
        assertEquals(List.of("a"), room.participants().stream().map(Participant::identity).toList());
        assertEquals(ParticipantInfo.State.DISCONNECTED, a.recorder.updatesAbout("b").getLast().getState());

        room.leave(a.participant, DisconnectReason.CLIENT_INITIATED, false);
        registry.sweep();
        assertTrue(registry.find("sweep").isPresent(), "kept during the grace period");
        clock.advance(config.emptyRoomGrace().plusSeconds(1));
        registry.sweep();
        assertTrue(registry.find("sweep").isEmpty());
        assertThrows(Room.RoomRefused.class, () -> join(room, "late", true, false));
        assertFalse(b.participant.isGone() && !b.participant.isGone());
    }
}
