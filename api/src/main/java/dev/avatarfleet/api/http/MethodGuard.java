package dev.avatarfleet.api.http;

import dev.avatarfleet.common.http.ApiException;
import io.helidon.webserver.http.HttpRules;

/** Registers the 405 answer for a known path asked with a method it does not serve. */
public final class MethodGuard {
    private MethodGuard() {
    }

    /** After the real handlers of {@code path}: any other method is a 405 with an {@code Allow} header. */
    public static void only(HttpRules rules, String path, String... allowed) {
        String allow = String.join(", ", allowed);
        rules.any(path, (req, res) -> {
            res.header("Allow", allow);
            throw ApiException.methodNotAllowed(req.prologue().method().text() + " is not allowed on " + req.path().path()
                    + " (allowed: " + allow + ")");
        });
    }
}
