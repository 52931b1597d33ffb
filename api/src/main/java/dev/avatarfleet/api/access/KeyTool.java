package dev.avatarfleet.api.access;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.logging.Logging;
import dev.avatarfleet.common.store.ApiKeyStore;
import dev.avatarfleet.common.store.RedisState;

/**
 * {@code ops/stack key ...}: makes, revokes and lists API keys in the fleet's Redis ({@code REDIS_URL},
 * {@code REDIS_KEY_PREFIX}) or, with {@code --file}, in an {@code API_KEYS_FILE}.
 * <pre>
 * create --tenant T [--operator] [--rate-per-minute N] [--rate-burst N] [--max-sessions N] [--file PATH]
 *        prints the new key, once, on stdout (only its salted hash is kept)
 * revoke ID [--file PATH]
 * list [--file PATH]          id, tenant, role, created, last used, origin, own limits; never a key
 * open                        lets the fleet run open again (no key required) once every key in Redis is revoked
 * </pre>
 */
public final class KeyTool {

    private final Env env;
    private final PrintStream out;
    private final PrintStream err;

    KeyTool(Env env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Env env = Env.system();
        // why: log lines (the Redis client's) go to stderr in the project's format; stdout carries only the answer
        Logging.start(env);
        System.exit(new KeyTool(env, System.out, System.err).run(args));
    }

    /** Runs one command; answers the exit code (0 done, 1 nothing to revoke, 2 a usage error). */
    int run(String[] args) {
        if (args.length == 0) {
            return usage("a command: create, revoke, list or open");
        }
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--operator")) {
                opts.put("operator", "true");
            } else if (a.startsWith("--")) {
                if (i + 1 >= args.length) {
                    return usage(a + " needs a value");
                }
                opts.put(a.substring(2), args[++i]);
            } else {
                words.add(a);
            }
        }
        try {
            return switch (args[0]) {
                case "create" -> create(opts);
                case "revoke" -> words.size() == 1 ? revoke(words.get(0), opts) : usage("revoke needs one key id");
                case "list" -> list(opts);
                case "open" -> reopen();
                default -> usage("unknown command " + args[0]);
            };
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (IOException | RuntimeException e) {
            // why: a Redis that cannot be reached is said in one line, not a stack trace
            err.println("key: " + e.getMessage());
            return 1;
        }
    }

    private int create(Map<String, String> opts) throws IOException {
        String tenant = opts.get("tenant");
        if (tenant == null) {
            return usage("create needs --tenant T");
        }
        ApiKey.KeyLimits limits = new ApiKey.KeyLimits(number(opts, "rate-per-minute"), number(opts, "rate-burst"), number(opts, "max-sessions"));
        boolean operator = opts.containsKey("operator");
        String file = opts.get("file");
        KeySecrets.NewKey key = KeySecrets.create(tenant, operator, limits, Instant.now(), file != null ? "file" : "redis");
        if (file != null) {
            new KeyFile(Path.of(file)).add(key.record());
        } else {
            try (RedisState redis = redis()) {
                if (!redis.apiKeys().put(key.record().id(), key.record().fields())) {
                    throw new IOException("key id " + key.record().id() + " is taken; run it again");
                }
            }
        }
        err.println("key " + key.record().id() + " for tenant " + tenant + (operator ? " (operator)" : "") + " stored in "
                + (file != null ? file : "Redis") + "; this is the only time it is shown:");
        out.println(key.key());
        return 0;
    }

    private int revoke(String id, Map<String, String> opts) throws IOException {
        boolean removed;
        String file = opts.get("file");
        if (file != null) {
            removed = new KeyFile(Path.of(file)).remove(id);
        } else {
            try (RedisState redis = redis()) {
                removed = redis.apiKeys().remove(id);
            }
        }
        err.println(removed ? "key " + id + " revoked (every API node refuses it within API_KEYS_REFRESH_SECONDS)" : "no key " + id);
        return removed ? 0 : 1;
    }

    private int reopen() {
        try (RedisState redis = redis()) {
            if (!redis.apiKeys().reopen()) {
                err.println("keys remain in Redis: revoke them all first (key list)");
                return 1;
            }
        }
        err.println("no key is required any more: every API node runs open within API_KEYS_REFRESH_SECONDS"
                + " (unless it has API_KEYS or API_KEYS_FILE)");
        return 0;
    }

    private int list(Map<String, String> opts) throws IOException {
        List<ApiKey> keys = new ArrayList<>();
        Map<String, Long> lastUsed = Map.of();
        String file = opts.get("file");
        if (file != null) {
            keys.addAll(new KeyFile(Path.of(file)).keys().values());
        }
        try (RedisState redis = redis()) {
            ApiKeyStore store = redis.apiKeys();
            if (file == null) {
                store.all().forEach((id, fields) -> keys.add(ApiKey.fromFields(id, fields, "redis")));
            }
            lastUsed = store.lastUsed();
        } catch (RuntimeException e) {
            if (file == null) {
                throw e;
            }
            err.println("key: last uses not read (" + e.getMessage() + ")");
        }
        out.printf("%-12s  %-20s  %-8s  %-20s  %-20s  %-6s  %s%n", "id", "tenant", "role", "created", "last used", "origin", "limits");
        for (ApiKey k : keys) {
            Long used = lastUsed.get(k.id());
            out.printf("%-12s  %-20s  %-8s  %-20s  %-20s  %-6s  %s%n", k.id(), k.tenant(), k.operator() ? "operator" : "tenant",
                    k.createdAt().toString().replaceFirst("\\.\\d+Z$", "Z"), used == null ? "-" : Instant.ofEpochMilli(used).toString(),
                    k.origin(), limits(k.limits()));
        }
        return 0;
    }

    private RedisState redis() {
        return RedisState.connect(FleetSettings.fromEnvironment(env), Clock.systemUTC());
    }

    private static String limits(ApiKey.KeyLimits l) {
        List<String> parts = new ArrayList<>();
        if (l.ratePerMinute() != null) {
            parts.add("rate_per_minute=" + l.ratePerMinute());
        }
        if (l.rateBurst() != null) {
            parts.add("rate_burst=" + l.rateBurst());
        }
        if (l.maxSessions() != null) {
            parts.add("max_sessions=" + l.maxSessions());
        }
        return parts.isEmpty() ? "defaults" : String.join(" ", parts);
    }

    private static Integer number(Map<String, String> opts, String name) {
        return ApiKey.wholeNumber(opts.get(name), "--" + name);
    }

    private int usage(String problem) {
        err.println("key: " + problem);
        err.println("usage: key create --tenant T [--operator] [--rate-per-minute N] [--rate-burst N] [--max-sessions N] [--file PATH]");
        err.println("       key revoke ID [--file PATH]");
        err.println("       key list [--file PATH]");
        err.println("       key open");
        return 2;
    }
}
