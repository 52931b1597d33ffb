package dev.avatarfleet.devroom.room;

/** A published track whose media reached the server and can be sent on to subscribers. */
public interface ForwardedMedia {
    /** @return sid of the published track */
    String trackSid();

    /** Stops forwarding and frees native resources; called once no subscriber sends it any more. */
    void close();
}
