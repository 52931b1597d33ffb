package dev.avatarfleet.devroom.room;

import livekit.LivekitRtc.SignalResponse;

import java.util.Optional;

/** What a participant's peer connections report back to the room. Safe to call from any thread. */
public interface MediaEvents {
    /** @param response offer, answer or trickle for the client */
    void signal(SignalResponse response);

    /**
     * Matches incoming RTP to a pending {@code AddTrackRequest}.
     *
     * @param msidTrackId the track id from the offer's {@code a=msid} (the SDKs use the cid)
     * @param video       whether it is a video track
     * @return the track sid, or empty when nothing announced matches
     */
    Optional<String> claimTrack(String msidTrackId, boolean video);

    /** @param media a forwarded copy of a published track, ready for subscribers */
    void forwardReady(ForwardedMedia media);

    /** @param trackSid a published track whose sender the client removed (unpublish) */
    void trackEnded(String trackSid);

    /** @param packet a DataPacket from the client @param lossy whether it came on {@code _lossy} */
    void dataReceived(byte[] packet, boolean lossy);
}
