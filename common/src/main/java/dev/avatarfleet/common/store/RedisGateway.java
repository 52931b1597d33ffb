package dev.avatarfleet.common.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import dev.avatarfleet.common.fault.StoreUnavailableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one door to Redis: a pooled client with bounded timeouts behind a circuit breaker, where
 * every driver exception becomes a {@link StoreUnavailableException} naming what was attempted.
 */
public final class RedisGateway implements AutoCloseable {

    private final RedisClient client;
    private final CircuitBreaker breaker;
    private final URI url;

    private RedisGateway(RedisClient client, URI url) {
        this.client = client;
        this.url = url;
        this.breaker = CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(2))
                // why: only a lost or slow connection says Redis is down; a script error is our bug
                .recordExceptions(JedisConnectionException.class)
                .build());
    }

    /** Connects to {@code redis://[user:password@]host:port[/db]} (or rediss://) with the given timeouts. */
    public static RedisGateway connect(URI url, Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .resp2()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .ssl("rediss".equalsIgnoreCase(url.getScheme()))
                .clientName("avatarfleet");
        String userInfo = url.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
            String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            if (user != null && !user.isEmpty()) {
                config.user(user);
            }
            config.password(password);
        }
        String path = url.getPath();
        if (path != null && path.length() > 1) {
            config.database(Integer.parseInt(path.substring(1)));
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(64);
        pool.setMaxIdle(16);
        pool.setMaxWait(timeout);
        RedisClient client = RedisClient.builder()
                .hostAndPort(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort())
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
        return new RedisGateway(client, url);
    }

    /** Runs {@code op} against Redis; {@code what} names it in the error ("claiming task x"). */
    public <T> T call(String what, Function<RedisClient, T> op) {
        try {
            return breaker.executeSupplier(() -> op.apply(client));
        } catch (CallNotPermittedException e) {
            throw new StoreUnavailableException("redis unavailable at " + where() + " (circuit open after repeated failures) while " + what, e);
        } catch (JedisException e) {
            throw new StoreUnavailableException("redis unavailable at " + where() + " while " + what + ": " + e.getMessage(), e);
        }
    }

    Object run(String what, LuaScript script, List<String> args) {
        return call(what, c -> script.run(c, args));
    }

    /** The breaker every call runs through (its failures are the node's Redis errors in /metrics). */
    CircuitBreaker breaker() {
        return breaker;
    }

    /** The raw client, for blocking subscriptions that need their own connection. */
    RedisClient client() {
        return client;
    }

    String where() {
        return url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort());
    }

    @Override
    public void close() {
        client.close();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
