package dev.avatarfleet.common.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** A Lua script run by its SHA-1 (EVALSHA), loaded on first use or after a Redis restart. */
final class LuaScript {

    private final String text;
    private final String sha;

    LuaScript(String text) {
        this.text = text;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Its SHA-1, the name EVALSHA runs it by. */
    String sha() {
        return sha;
    }

    /** Puts the script into Redis's script cache, so its first EVALSHA does not miss. */
    void load(UnifiedJedis redis) {
        redis.scriptLoad(text);
    }

    Object run(UnifiedJedis redis, List<String> args) {
        try {
            return redis.evalsha(sha, List.of(), args);
        } catch (JedisNoScriptException e) {
            return redis.eval(text, List.of(), args);
        }
    }
}
