package dev.avatarfleet.devroom.room;

/** Creates the peer connections of a joining participant. */
public interface MediaFactory {
    /**
     * @param participant who joins
     * @param events      where the connections report to
     * @return its media, not yet started
     */
    ParticipantMedia create(Participant participant, MediaEvents events);
}
