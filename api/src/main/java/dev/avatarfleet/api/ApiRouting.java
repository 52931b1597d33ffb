package dev.avatarfleet.api;

import dev.avatarfleet.api.access.AccessFilter;
import dev.avatarfleet.common.http.ErrorMapping;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.util.List;

/**
 * The API node's routing: the access filter in front of everything, one {@link HttpService} per resource, errors
 * mapped once at the end.
 */
public final class ApiRouting {
    private ApiRouting() {
    }

    /** Registers the access filter, {@code services} and the JSON error mapping; shared by {@link ApiNode} and the tests. */
    public static void routing(HttpRouting.Builder routing, AccessFilter access, List<HttpService> services) {
        routing.addFilter(access::filter);
        for (HttpService service : services) {
            routing.register(service);
        }
        ErrorMapping.install(routing, "API node");
    }
}
