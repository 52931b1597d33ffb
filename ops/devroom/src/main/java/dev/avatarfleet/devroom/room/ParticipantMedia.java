package dev.avatarfleet.devroom.room;

import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.TrickleRequest;

/**
 * The peer connections of one participant (publisher: the client offers; subscriber: the server offers).
 * Every method is called on the participant's own serial executor.
 */
public interface ParticipantMedia {
    /** Creates the subscriber connection with the {@code _reliable} and {@code _lossy} channels and offers it. */
    void start();

    /** @param offer the client's publisher offer; the answer goes back over signalling */
    void onPublisherOffer(SessionDescription offer);

    /** @param answer the client's answer to the server's subscriber offer */
    void onSubscriberAnswer(SessionDescription answer);

    /** @param trickle an ICE candidate for the named connection */
    void onTrickle(TrickleRequest trickle);

    /** @param publisherSid owner @param media the track to send to this participant */
    void subscribe(String publisherSid, ForwardedMedia media);

    /** @param trackSid stop sending this track to this participant */
    void unsubscribe(String trackSid);

    /** @param packet serialized DataPacket @param lossy send on {@code _lossy} instead of {@code _reliable} */
    void sendData(byte[] packet, boolean lossy);

    /** Closes both connections. */
    void close();
}
