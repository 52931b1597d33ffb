package dev.avatarfleet.devroom.auth;

import java.util.Map;

/**
 * What a verified access token allows, with LiveKit's defaults applied (absent canPublish/canSubscribe are
 * true, absent canPublishData follows canPublish).
 *
 * @param identity        participant identity ({@code sub})
 * @param name            display name
 * @param agent           {@code kind == "agent"}
 * @param metadata        participant metadata
 * @param attributes      participant attributes
 * @param room            {@code video.room}, empty when absent
 * @param roomJoin        may join {@code room}
 * @param canPublish      may publish tracks
 * @param canSubscribe    may subscribe to tracks
 * @param canPublishData  may send data packets
 * @param canUpdateOwnMetadata may change own name, metadata and attributes
 * @param roomAdmin       may administer {@code room} (RoomService)
 * @param roomList        may list rooms (RoomService)
 */
public record Grants(String identity, String name, boolean agent, String metadata, Map<String, String> attributes,
                     String room, boolean roomJoin, boolean canPublish, boolean canSubscribe, boolean canPublishData,
                     boolean canUpdateOwnMetadata, boolean roomAdmin, boolean roomList) {

    /** Copies the attributes. */
    public Grants {
        attributes = Map.copyOf(attributes);
    }
}
