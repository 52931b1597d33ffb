package dev.avatarfleet.devroom.signal;

import dev.avatarfleet.devroom.room.ClientDetails;
import io.helidon.common.uri.UriQuery;

/** Reads {@link ClientDetails} from the v0 signalling URL ({@code sdk, protocol, client_protocol, auto_subscribe}). */
final class ClientQuery {
    private ClientQuery() {
    }

    static ClientDetails details(UriQuery query) {
        return new ClientDetails(query.first("sdk").asOptional().orElse(""), number(query, "protocol", 0),
                number(query, "client_protocol", 0),
                !query.first("auto_subscribe").asOptional().map(v -> v.equals("0") || v.equalsIgnoreCase("false")).orElse(false));
    }

    private static int number(UriQuery query, String name, int absent) {
        try {
            return query.first(name).map(String::trim).map(Integer::parseInt).orElse(absent);
        } catch (NumberFormatException e) {
            return absent;
        }
    }
}
