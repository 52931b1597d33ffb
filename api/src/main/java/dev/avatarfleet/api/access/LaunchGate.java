package dev.avatarfleet.api.access;

import dev.avatarfleet.common.store.TenantAdmission;
import io.helidon.webserver.http.ServerRequest;

/** The node's {@link LaunchAccess}: the caller as {@link AccessFilter} found it, its rate and quota by {@link LaunchLimiter}. */
public final class LaunchGate implements LaunchAccess {

    private final AccessFilter access;
    private final LaunchLimiter limiter;

    public LaunchGate(AccessFilter access, LaunchLimiter limiter) {
        this.access = access;
        this.limiter = limiter;
    }

    @Override
    public Permit check(ServerRequest req, String formSecret) {
        Caller caller = access.launchCaller(req, formSecret);
        return () -> {
            limiter.takeLaunch(caller);
            return limiter.admission(caller);
        };
    }
}
