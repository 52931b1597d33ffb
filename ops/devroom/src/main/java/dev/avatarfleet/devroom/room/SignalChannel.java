package dev.avatarfleet.devroom.room;

import livekit.LivekitRtc.SignalResponse;

/** The signalling connection of one participant, as the room sees it. */
public interface SignalChannel {
    /** @param response message to send; dropped silently once closed */
    void send(SignalResponse response);

    /** @param reason why the server closes the connection */
    void close(String reason);
}
