package dev.avatarfleet.devroom.room;

import livekit.LivekitModels.TrackInfo;

/**
 * A track a participant announced with {@code AddTrackRequest}; {@code media} is set once its RTP arrived and a
 * forwarded copy exists.
 */
final class PublishedTrack {
    final String cid;
    TrackInfo info;
    ForwardedMedia media;
    boolean claimed;
    /** What the publisher was last told about this video track's subscribers (null: nothing yet). */
    volatile Boolean announcedSubscribed;

    PublishedTrack(String cid, TrackInfo info) {
        this.cid = cid;
        this.info = info;
    }
}
