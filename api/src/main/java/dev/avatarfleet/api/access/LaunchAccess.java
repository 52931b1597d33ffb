package dev.avatarfleet.api.access;

import dev.avatarfleet.common.store.TenantAdmission;
import io.helidon.webserver.http.ServerRequest;

/** Who may launch, and how much: what {@code POST /launch} asks once its body is read. */
@FunctionalInterface
public interface LaunchAccess {
    /**
     * Checks the launch's key (401 when keys are configured and none of its credentials is one), takes a token of its
     * launch rate (429 {@code rate_limited}), and answers the tenant and quota it is admitted under.
     *
     * @param formSecret the body's {@code api_secret} field, or null
     */
    TenantAdmission admit(ServerRequest req, String formSecret);
}
