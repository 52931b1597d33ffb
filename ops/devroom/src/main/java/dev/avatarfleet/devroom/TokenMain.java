package dev.avatarfleet.devroom;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a LiveKit access token. Usage:
 * {@code TokenMain --room R --identity I [--name N] [--agent] [--ttl SECONDS] [--attribute k=v ...] [--admin]
 * [--key K --secret S]} (key and secret default to devkey / secret). A participant token grants join, publish,
 * subscribe and publish-data on R; {@code --admin} adds roomAdmin on R and roomList.
 */
public final class TokenMain {
    private TokenMain() {
    }

    /** @param args see class doc */
    public static void main(String[] args) {
        try {
            System.out.println(token(args));
        } catch (IllegalArgumentException e) {
            System.err.println("token: " + e.getMessage());
            System.err.println("usage: --room R --identity I [--name N] [--agent] [--ttl SECONDS] [--attribute k=v ...] "
                    + "[--admin] [--key K --secret S]");
            System.exit(2);
        }
    }

    static String token(String[] args) {
        String room = null;
        String identity = null;
        String name = null;
        String key = DevRoomConfig.DEFAULT_KEY;
        String secret = DevRoomConfig.DEFAULT_SECRET;
        boolean agent = false;
        boolean admin = false;
        long ttl = Duration.ofHours(6).toSeconds();
        List<String[]> attributes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--agent" -> agent = true;
                case "--admin" -> admin = true;
                case "--room", "--identity", "--name", "--ttl", "--attribute", "--key", "--secret" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--room" -> room = v;
                        case "--identity" -> identity = v;
                        case "--name" -> name = v;
                        case "--key" -> key = v;
                        case "--secret" -> secret = v;
                        case "--ttl" -> {
                            try {
                                ttl = Long.parseLong(v);
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException("--ttl must be seconds, got " + v);
                            }
                        }
                        default -> {
                            int eq = v.indexOf('=');
                            if (eq <= 0) {
                                throw new IllegalArgumentException("--attribute must be key=value, got " + v);
                            }
                            attributes.add(new String[] {v.substring(0, eq), v.substring(eq + 1)});
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (room == null || identity == null) {
            throw new IllegalArgumentException("--room and --identity are required");
        }
        DevRoomTokens.Token t = DevRoomTokens.create(key, secret).participant(room, identity)
                .agent(agent).ttl(Duration.ofSeconds(ttl));
        if (name != null) {
            t.name(name);
        }
        if (admin) {
            t.grant("roomAdmin", true).grant("roomList", true);
        }
        attributes.forEach(kv -> t.attribute(kv[0], kv[1]));
        return t.mint();
    }
}
