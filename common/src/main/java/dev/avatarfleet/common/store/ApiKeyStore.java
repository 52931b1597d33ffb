package dev.avatarfleet.common.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The API keys kept in Redis, as their owners wrote them (hashed: this class never sees a key): one hash
 * {@code apikey:<id>} per key, the set {@code apikeys} of ids, {@code apikeys:last_used} (id to epoch ms) for
 * every key any node accepted, wherever it is declared, and {@code apikeys:required}, set by the first key stored.
 * why the flag: revoking the last key must not open the fleet to anyone; only {@link #reopen()} does, on purpose.
 * The API module reads and writes the fields.
 */
public final class ApiKeyStore {

    /** ARGV: p. Whether keys are required, then every key's fields: {0|1, id, {field, value, ...}, ...}, in one atomic read. */
    private static final LuaScript ALL = new LuaScript("""
            local p = ARGV[1]
            local out = {redis.call('EXISTS', p .. 'apikeys:required')}
            for _, id in ipairs(redis.call('SMEMBERS', p .. 'apikeys')) do
              local h = redis.call('HGETALL', p .. 'apikey:' .. id)
              if #h > 0 then
                out[#out + 1] = id
                out[#out + 1] = h
              else
                redis.call('SREM', p .. 'apikeys', id)
              end
            end
            return out
            """);

    /** ARGV: p, id, field, value, ... Writes a new key; 0 when the id is taken. */
    private static final LuaScript PUT = new LuaScript("""
            local p, id = ARGV[1], ARGV[2]
            local k = p .. 'apikey:' .. id
            if redis.call('EXISTS', k) == 1 then return 0 end
            for i = 3, #ARGV, 2 do redis.call('HSET', k, ARGV[i], ARGV[i + 1]) end
            redis.call('SADD', p .. 'apikeys', id)
            redis.call('SET', p .. 'apikeys:required', '1')
            return 1
            """);

    /** ARGV: p. Drops the flag when no key is left: 1 done, 0 keys remain. */
    private static final LuaScript REOPEN = new LuaScript("""
            local p = ARGV[1]
            if redis.call('SCARD', p .. 'apikeys') > 0 then return 0 end
            redis.call('DEL', p .. 'apikeys:required')
            return 1
            """);

    /** The keys in Redis, and whether keys are required even when none is left (the last one was revoked). */
    public record Snapshot(boolean required, Map<String, Map<String, String>> keys) {
    }

    /** ARGV: p, id. Removes a key and its last use; 1 when it existed. */
    private static final LuaScript REMOVE = new LuaScript("""
            local p, id = ARGV[1], ARGV[2]
            redis.call('SREM', p .. 'apikeys', id)
            redis.call('HDEL', p .. 'apikeys:last_used', id)
            return redis.call('DEL', p .. 'apikey:' .. id)
            """);

    private final RedisGateway redis;
    private final String prefix;

    ApiKeyStore(RedisGateway redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** Stores a new key's fields under {@code id}; false (nothing written) when the id is taken. */
    public boolean put(String id, Map<String, String> fields) {
        List<String> args = new ArrayList<>(List.of(prefix, id));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return (Long) redis.run("storing API key " + id, PUT, args) == 1L;
    }

    /** Removes the key {@code id}; false when there was none. */
    public boolean remove(String id) {
        return (Long) redis.run("revoking API key " + id, REMOVE, List.of(prefix, id)) == 1L;
    }

    /** Every key's fields by id. */
    public Map<String, Map<String, String>> all() {
        return snapshot().keys();
    }

    /** Every key's fields by id, and whether keys are required, read at once. */
    public Snapshot snapshot() {
        List<?> flat = (List<?>) redis.run("reading the API keys", ALL, List.of(prefix));
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int i = 1; i + 1 < flat.size(); i += 2) {
            out.put((String) flat.get(i), RedisTaskStore.TaskHashes.pairs((List<?>) flat.get(i + 1)));
        }
        return new Snapshot((Long) flat.get(0) == 1L || !out.isEmpty(), out);
    }

    /** Lets the fleet run open again once every key is revoked; false (nothing changed) while a key remains. */
    public boolean reopen() {
        return (Long) redis.run("reopening the fleet", REOPEN, List.of(prefix)) == 1L;
    }

    /** Records that {@code id} was accepted at {@code epochMillis}. */
    public void touch(String id, long epochMillis) {
        redis.call("recording the use of API key " + id, c -> c.hset(prefix + "apikeys:last_used", id, Long.toString(epochMillis)));
    }

    /** When each key was last accepted (epoch ms), by id. */
    public Map<String, Long> lastUsed() {
        Map<String, String> raw = redis.call("reading when API keys were used", c -> c.hgetAll(prefix + "apikeys:last_used"));
        Map<String, Long> out = new HashMap<>();
        raw.forEach((k, v) -> out.put(k, Long.parseLong(v)));
        return out;
    }
}
