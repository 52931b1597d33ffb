package dev.avatarfleet.devroom.room;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Who receives a data packet: the named destination identities that are in the room, or everyone when none
 * are named; never the sender itself (livekit-server {@code pkg/rtc/room.go} broadcast rules).
 */
public final class DataRouting {
    private DataRouting() {
    }

    /**
     * @param sender       identity of the sender
     * @param present      identities now in the room
     * @param destinations {@code destination_identities} of the packet
     * @return identities to deliver to, in room order
     */
    public static List<String> recipients(String sender, Collection<String> present, Collection<String> destinations) {
        Set<String> wanted = Set.copyOf(destinations);
        return present.stream()
                .filter(id -> !id.equals(sender))
                .filter(id -> wanted.isEmpty() || wanted.contains(id))
                .toList();
    }
}
