package dev.avatarfleet.worker.livekit;

import dev.avatarfleet.common.logging.LogContext;
import java.util.List;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitModels.DataPacket;

/**
 * A session's {@link RoomConnection.Events}, each call made with the joining session's log context: they arrive on
 * libwebrtc's and the HTTP client's threads, which carry none. It forwards EVERY method, the interface's defaults
 * included ({@code EventsInContextTest} fails when a new one is not): a default left out would be silently dropped.
 */
final class EventsInContext implements RoomConnection.Events {

    private final RoomConnection.Events events;
    private final LogContext context;

    EventsInContext(RoomConnection.Events events, LogContext context) {
        this.events = events;
        this.context = context;
    }

    @Override
    public void dataPacket(DataPacket packet) {
        try (LogContext.Scope ignored = context.open()) {
            events.dataPacket(packet);
        }
    }

    @Override
    public void participants(List<ParticipantInfo> updated) {
        try (LogContext.Scope ignored = context.open()) {
            events.participants(updated);
        }
    }

    @Override
    public void leave(LeaveRequest leave) {
        try (LogContext.Scope ignored = context.open()) {
            events.leave(leave);
        }
    }

    @Override
    public void lost(String reason) {
        try (LogContext.Scope ignored = context.open()) {
            events.lost(reason);
        }
    }

    @Override
    public void joined(RoomConnection room, JoinResponse join) {
        try (LogContext.Scope ignored = context.open()) {
            events.joined(room, join);
        }
    }

    @Override
    public void videoWanted(String trackSid, boolean wanted) {
        try (LogContext.Scope ignored = context.open()) {
            events.videoWanted(trackSid, wanted);
        }
    }
}
