package dev.avatarfleet.common.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The API keys kept in Redis, as their owners wrote them (hashed: this class never sees a key): one hash
 * {@code apikey:<id>} per key, the set {@code apikeys} of ids, and {@code apikeys:last_used} (id to epoch ms) for
 * every key any node accepted, wherever it is declared. The API module reads and writes the fields.
 */
public final class ApiKeyStore {

    /** ARGV: p. Every key's fields, {id, {field, value, ...}, ...}, in one atomic read. */
    private static final LuaScript ALL = new LuaScript("""
            local p = ARGV[1]
            local out = {}
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
            return 1
            """);

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
        List<?> flat = (List<?>) redis.run("reading the API keys", ALL, List.of(prefix));
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put((String) flat.get(i), RedisTaskStore.TaskHashes.pairs((List<?>) flat.get(i + 1)));
        }
        return out;
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
