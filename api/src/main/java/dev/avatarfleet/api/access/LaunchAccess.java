package dev.avatarfleet.api.access;

import dev.avatarfleet.common.store.TenantAdmission;
import io.helidon.webserver.http.ServerRequest;

/** Who may launch, and how much: what {@code POST /launch} asks once its body is read. */
@FunctionalInterface
public interface LaunchAccess {
    /**
     * Checks the launch's key (401 when keys are configured and none of its credentials is one) and answers its permit.
     *
     * @param formSecret the body's {@code api_secret} field, or null
     */
    Permit check(ServerRequest req, String formSecret);

    /** The launch's limits, taken once it is valid and before it costs anything. */
    @FunctionalInterface
    interface Permit {
        /**
         * Takes a token of the launch rate (429 {@code rate_limited}) and answers the tenant and quota it is admitted
         * under. why after validation: a malformed request (the node's own start-up warm-up among them) costs nobody a
         * launch, and before the image fetch: a refused launch costs the node nothing.
         */
        TenantAdmission take();
    }
}
