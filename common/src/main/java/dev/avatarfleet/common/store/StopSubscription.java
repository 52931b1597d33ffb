package dev.avatarfleet.common.store;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;

/**
 * A worker's subscription to its stop channel: each message is the id of a task to stop. Runs on
 * its own virtual thread and re-subscribes after a lost connection; a stop missed meanwhile is
 * still found through the stored stop flag ({@link RedisTaskStore#stopRequestedOf}).
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

    private StopSubscription(RedisGateway redis, String channel, Consumer<String> onStop) {
        this.redis = redis;
        this.channel = channel;
        this.onStop = onStop;
        this.thread = Thread.ofVirtual().name("stop-listener-" + channel).unstarted(this::loop);
    }

    /** Subscribes and waits (up to 5 s) until Redis confirmed the subscription ({@link RedisTaskStore#subscribeToStops}). */
    static StopSubscription start(RedisGateway redis, String channel, Consumer<String> onStop) {
        StopSubscription s = new StopSubscription(Objects.requireNonNull(redis), channel, Objects.requireNonNull(onStop));
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
                    subscribed.countDown();
                }
            };
            current = pubSub;
            try {
                redis.client().subscribe(pubSub, channel);
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("stop channel {} lost, re-subscribing: {}", channel, e.getMessage());
                    sleepQuietly(500);
                }
            }
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

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
