package dev.avatarfleet.common.store;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.Retries;
import io.github.resilience4j.retry.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;

/**
 * A worker's subscription to its stop channel: each message is the id of a task to stop. Runs on
 * its own virtual thread and re-subscribes after a lost connection (at once after a subscription
 * that held, with the fleet's back-off while Redis refuses); a stop missed meanwhile is
 * still found through the stored stop flag, which the worker's heartbeat reads back every beat.
 */
public final class StopSubscription implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSubscription.class);

    private final RedisGateway redis;
    private final String channel;
    private final Consumer<String> onStop;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile JedisPubSub current;
    private final Thread thread;
    private final Retry resubscribe;

    private StopSubscription(RedisGateway redis, String channel, Consumer<String> onStop, FleetSettings.Backoff backoff) {
        this.redis = redis;
        this.channel = channel;
        this.onStop = onStop;
        this.resubscribe = Retries.forever("subscribing to " + channel, backoff);
        this.thread = Thread.ofVirtual().name("stop-listener-" + channel).unstarted(this::loop);
    }

    /** Subscribes and waits (up to 5 s) until Redis confirmed the subscription ({@link RedisTaskStore#subscribeToStops}). */
    static StopSubscription start(RedisGateway redis, String channel, Consumer<String> onStop, FleetSettings.Backoff backoff) {
        StopSubscription s = new StopSubscription(Objects.requireNonNull(redis), channel, Objects.requireNonNull(onStop), backoff);
        s.thread.start();
        try {
            s.subscribed.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return s;
    }

    private void loop() {
        while (!closed) {
            try {
                resubscribe.executeRunnable(this::subscribeOnce);
            } catch (RuntimeException e) {
                // why: only an interrupt ends the retry; closing ends the loop
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    }

    /**
     * One subscription, held until it is closed or its connection is lost. Returns normally when it was closed, or
     * when it held before being lost (the next one starts at once); throws when Redis refused it (the retry waits).
     */
    private void subscribeOnce() {
        if (closed) {
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
        JedisPubSub pubSub = new JedisPubSub() {
            @Override
            public void onMessage(String ch, String taskId) {
                try {
                    onStop.accept(taskId);
                } catch (RuntimeException e) {
                    LOG.warn("stopping task {} failed", taskId, e);
                }
            }

            @Override
            public void onSubscribe(String ch, int count) {
                held.set(true);
                subscribed.countDown();
            }
        };
        current = pubSub;
        try {
            redis.client().subscribe(pubSub, channel);
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            if (!held.get()) {
                throw e;
            }
            LOG.warn("stop channel {} lost, re-subscribing: {}", channel, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        JedisPubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            pubSub.unsubscribe();
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
