package dev.avatarfleet.worker.session;

import dev.avatarfleet.worker.session.audio.SegmentPlayed;

/** The {@code lk.playback_finished} payload: exactly the three keys the agent's dataclass accepts. */
public final class PlaybackReport {

    public static final String METHOD = "lk.playback_finished";

    private PlaybackReport() {
    }

    /** e.g. {@code {"playback_position": 3.0, "interrupted": false, "synchronized_transcript": null}}. */
    public static String payload(SegmentPlayed played) {
        // why: round to the millisecond so the float prints like Python's json.dumps would
        double seconds = Math.round(played.playbackPosition() * 1000.0) / 1000.0;
        return "{\"playback_position\": " + seconds + ", \"interrupted\": " + played.interrupted()
                + ", \"synchronized_transcript\": null}";
    }
}
