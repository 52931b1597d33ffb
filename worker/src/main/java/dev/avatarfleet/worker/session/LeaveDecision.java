package dev.avatarfleet.worker.session;

import java.util.Locale;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitRtc.LeaveRequest;

/** What a {@code LeaveRequest} from the server means for the session. */
public sealed interface LeaveDecision {

    /** The session is over. */
    record End(SessionEnd end) implements LeaveDecision {
    }

    /** The server wants us back: reconnect and republish. */
    record Reconnect(String why) implements LeaveDecision {
    }

    static LeaveDecision of(LeaveRequest leave) {
        if (leave.getAction() == LeaveRequest.Action.RESUME || leave.getAction() == LeaveRequest.Action.RECONNECT
                || (leave.getActionValue() == 0 && leave.getCanReconnect())) {
            return new Reconnect("server asked to " + leave.getAction().name().toLowerCase(Locale.ROOT));
        }
        DisconnectReason reason = leave.getReason();
        return switch (reason) {
            case PARTICIPANT_REMOVED -> new End(SessionEnd.completed("participant_removed"));
            case ROOM_DELETED, ROOM_CLOSED -> new End(SessionEnd.completed(reason.name().toLowerCase(Locale.ROOT)));
            case DUPLICATE_IDENTITY -> new End(SessionEnd.failed("livekit: another participant joined as the avatar"));
            default -> new End(SessionEnd.completed("left: " + (reason == DisconnectReason.UNRECOGNIZED
                    ? "unknown" : reason.name().toLowerCase(Locale.ROOT))));
        };
    }
}
