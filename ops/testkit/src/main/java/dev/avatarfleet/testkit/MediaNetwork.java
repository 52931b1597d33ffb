package dev.avatarfleet.testkit;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import java.util.Arrays;
import java.util.List;

/**
 * The two addresses of the network namespace that media tests run in (ops/lib/netns.sh, env
 * {@code AVATAR_FLEET_MEDIA_ADDRESSES="10.77.N.1,10.77.N.2"}). libwebrtc ignores loopback, so a server binds
 * {@link #server()} and clients reach it from {@link #client()}.
 *
 * @param server address for servers (the first)
 * @param client address for clients (the second)
 */
public record MediaNetwork(String server, String client) {
    /** The variable the test harness sets inside the namespace. */
    public static final Setting<String> ADDRESSES = Setting.text("AVATAR_FLEET_MEDIA_ADDRESSES", null)
            .readBy(Node.MEDIA_TESTS).documentedDefault("(set by `ops/test`)").documentedAllowed("two addresses, comma-separated")
            .means("the network namespace's server and client addresses the media tests bind (libwebrtc ignores loopback)");
    /** Its name. */
    public static final String ENV = ADDRESSES.name();

    /**
     * @return the addresses from the environment
     * @throws IllegalStateException with a how-to when the variable is absent or malformed
     */
    public static MediaNetwork fromEnvironment() {
        return fromEnvironment(Env.system());
    }

    static MediaNetwork fromEnvironment(Env env) {
        String value = env.get(ADDRESSES);
        if (value == null) {
            throw new IllegalStateException(ENV + " is not set: media tests must run inside the network namespace "
                    + "made by ops/test (or: . ops/lib/netns.sh; avatar_fleet_netns_up; ip netns exec "
                    + "$AVATAR_FLEET_NETNS env " + ENV + "=$AVATAR_FLEET_NETNS_ADDRESSES mvn -Pmedia ...)");
        }
        List<String> parts = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (parts.size() != 2) {
            throw new IllegalStateException(ENV + " must hold two comma-separated addresses, got '" + value + "'");
        }
        return new MediaNetwork(parts.get(0), parts.get(1));
    }
}
