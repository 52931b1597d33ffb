package dev.avatarfleet.common.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A lease in Redis held by one node at a time ({@code SET NX PX}, renewed by its holder): a fleet duty that every
 * node runs but only one may execute at once asks it before each pass. A holder that stops renewing loses it after
 * its time to live; a node that finds it held by another does nothing that pass.
 */
public final class FleetLease {

    private final RedisGateway redis;
    private final String prefix;
    private final String name;
    private final String holder;
    private final Duration ttl;

    FleetLease(RedisGateway redis, String prefix, String name, String holder, Duration ttl) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = prefix;
        this.name = name;
        this.holder = holder;
        this.ttl = ttl;
    }

    /** Takes the lease if it is free, renews it if this holder has it; true when this holder has it now. */
    public boolean acquire() {
        return ((Long) redis.run("taking the lease " + name, TaskScripts.LEASE,
                List.of(prefix, name, holder, Long.toString(ttl.toMillis())))) == 1L;
    }

    public String holder() {
        return holder;
    }
}
