package dev.avatarfleet.worker.session.audio;

/**
 * One speech segment is over for the listener: played to its last sample, or cut off by a clear.
 *
 * @param segmentId        the agent's stream id of the segment
 * @param playbackPosition seconds of the segment that were played out
 * @param interrupted      true when a clear dropped the rest of it
 */
public record SegmentPlayed(String segmentId, double playbackPosition, boolean interrupted) {
}
