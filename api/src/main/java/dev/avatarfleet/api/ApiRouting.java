package dev.avatarfleet.api;

import dev.avatarfleet.common.http.ErrorMapping;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.util.List;

/** The API node's routing: one {@link HttpService} per resource, errors mapped once at the end. */
public final class ApiRouting {
    private ApiRouting() {
    }

    /** Registers {@code services} and the JSON error mapping; shared by {@link ApiMain} and the tests. */
    public static void routing(HttpRouting.Builder routing, List<HttpService> services) {
        for (HttpService service : services) {
            routing.register(service);
        }
        ErrorMapping.install(routing, "API node");
    }
}
