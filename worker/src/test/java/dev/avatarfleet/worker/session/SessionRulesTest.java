package dev.avatarfleet.worker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.avatarfleet.worker.session.audio.SegmentPlayed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.LeaveRequest;
import org.junit.jupiter.api.Test;

/** The session's decisions that need no network: whose agent, idle timeout, leave reasons, report payload. */
class SessionRulesTest {

    private static ParticipantInfo participant(String identity, ParticipantInfo.Kind kind, ParticipantInfo.State state) {
        return ParticipantInfo.newBuilder().setIdentity(identity).setKind(kind).setState(state).build();
    }

    private static ParticipantInfo self(String onBehalf) {
        ParticipantInfo.Builder b = ParticipantInfo.newBuilder().setIdentity("bithuman-avatar-agent").setKind(ParticipantInfo.Kind.AGENT);
        if (onBehalf != null) {
            b.putAttributes(AgentIdentity.PUBLISH_ON_BEHALF, onBehalf);
        }
        return b.build();
    }

    @Test
    void theAgentIsTheOneNamedInOurToken() {
        AgentIdentity who = new AgentIdentity(self("agent-1"), List.of(
                participant("agent-2", ParticipantInfo.Kind.AGENT, ParticipantInfo.State.ACTIVE),
                participant("user", ParticipantInfo.Kind.STANDARD, ParticipantInfo.State.ACTIVE)));
        assertTrue(who.isAgent("agent-1"));
        assertFalse(who.isAgent("agent-2"));
        assertFalse(who.isAgent("user"));
        assertEquals("agent-1", who.agent());
        assertFalse(who.agentLeft(), "not seen yet, so it cannot have left");
        who.update(List.of(participant("agent-1", ParticipantInfo.Kind.AGENT, ParticipantInfo.State.ACTIVE)));
        who.update(List.of(participant("user", ParticipantInfo.Kind.STANDARD, ParticipantInfo.State.DISCONNECTED)));
        assertFalse(who.agentLeft());
        who.update(List.of(participant("agent-1", ParticipantInfo.Kind.AGENT, ParticipantInfo.State.DISCONNECTED)));
        assertTrue(who.agentLeft());
    }

    @Test
    void withoutTheAttributeTheOnlyAgentCounts() {
        AgentIdentity who = new AgentIdentity(self(null), List.of(
                participant("a", ParticipantInfo.Kind.AGENT, ParticipantInfo.State.ACTIVE),
                participant("user", ParticipantInfo.Kind.STANDARD, ParticipantInfo.State.ACTIVE)));
        assertTrue(who.isAgent("a"));
        assertFalse(who.isAgent("user"));
        who.update(List.of(participant("b", ParticipantInfo.Kind.AGENT, ParticipantInfo.State.ACTIVE)));
        assertFalse(who.isAgent("a"), "two agents: neither is trusted");
        assertNull(who.agent());
        who.update(List.of(participant("b", ParticipantInfo.Kind.AGENT, ParticipantInfo.State.DISCONNECTED)));
        assertTrue(who.isAgent("a"));
        assertFalse(who.agentLeft());
        who.update(List.of(participant("a", ParticipantInfo.Kind.AGENT, ParticipantInfo.State.DISCONNECTED)));
        assertTrue(who.agentLeft());
    }

    @Test
    void idleOnlyAfterTheTimeoutWithoutSpeech() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        IdleWatch watch = new IdleWatch(clock, Duration.ofSeconds(600));
        now.set(now.get().plusSeconds(599));
        assertFalse(watch.idle(false));
        now.set(now.get().plusSeconds(1));
        assertTrue(watch.idle(false));
        assertFalse(watch.idle(true), "speech still playing is never idle");
        now.set(now.get().plusSeconds(300));
        watch.activity();
        now.set(now.get().plusSeconds(599));
        assertFalse(watch.idle(false));
        now.set(now.get().plusSeconds(1));
        assertTrue(watch.idle(false));
    }

    @Test
    void leaveReasons() {
        assertEquals(SessionEnd.completed("participant_removed"), end(LeaveRequest.newBuilder()
                .setReason(DisconnectReason.PARTICIPANT_REMOVED).setAction(LeaveRequest.Action.DISCONNECT).build()));
        assertEquals(SessionEnd.completed("room_deleted"), end(LeaveRequest.newBuilder()
                .setReason(DisconnectReason.ROOM_DELETED).build()));
        assertEquals(SessionEnd.Outcome.FAILED, end(LeaveRequest.newBuilder()
                .setReason(DisconnectReason.DUPLICATE_IDENTITY).build()).outcome());
        assertInstanceOf(LeaveDecision.Reconnect.class, LeaveDecision.of(LeaveRequest.newBuilder()
                .setAction(LeaveRequest.Action.RESUME).build()));
        assertInstanceOf(LeaveDecision.Reconnect.class, LeaveDecision.of(LeaveRequest.newBuilder()
                .setAction(LeaveRequest.Action.RECONNECT).build()));
    }

    private static SessionEnd end(LeaveRequest leave) {
        return ((LeaveDecision.End) LeaveDecision.of(leave)).end();
    }

    @Test
    void playbackPayloadHasExactlyTheThreeKeys() throws Exception {
        String payload = PlaybackReport.payload(new SegmentPlayed("s", 3.0, false));
        assertEquals("{\"playback_position\": 3.0, \"interrupted\": false, \"synchronized_transcript\": null}", payload);
        JsonNode json = new ObjectMapper().readTree(PlaybackReport.payload(new SegmentPlayed("s", 1.2345678, true)));
        Set<String> keys = new java.util.HashSet<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("playback_position", "interrupted", "synchronized_transcript"), keys);
        assertEquals(1.235, json.get("playback_position").asDouble());
        assertTrue(json.get("interrupted").asBoolean());
        assertTrue(json.get("synchronized_transcript").isNull());
    }
}
