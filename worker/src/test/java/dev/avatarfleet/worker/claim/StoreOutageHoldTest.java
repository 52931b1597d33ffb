package dev.avatarfleet.worker.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.fault.StoreUnavailableException;
import dev.avatarfleet.common.kafka.LaunchDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The store-outage hold with a probe and pauses the test controls; nothing sleeps. */
class StoreOutageHoldTest {

    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger probes = new AtomicInteger();
    private final List<Duration> paused = new ArrayList<>();
    private final StoreOutageHold hold = new StoreOutageHold(() -> {
        probes.incrementAndGet();
        if (failuresLeft.getAndDecrement() > 0) {
            throw new StoreUnavailableException("redis timed out", null);
        }
    }, new FleetSettings.Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), 10), paused::add);

    private static LaunchDelivery aDelivery() {
        return new LaunchDelivery(new ConsumerRecord<>("launches", 0, 0L, "task", "{}"), Optional.empty(), 1);
    }

    @Test
    void withoutAnOutageTheStoreIsNotEvenAsked() throws Exception {
        assertTrue(hold.storeAnswers());
        assertEquals(0, probes.get());
        assertNull(hold.takeHeld());
    }

    @Test
    void theHeldRecordComesBackOnceTheStoreAnswersAfterGrowingBackOffs() throws Exception {
        LaunchDelivery d = aDelivery();
        hold.hold(d);
        failuresLeft.set(7);
        int refused = 0;
        while (!hold.storeAnswers()) {
            refused++;
        }
        assertEquals(7, refused);
        assertEquals(List.of(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 10_000L), paused.stream().map(Duration::toMillis).toList());
        assertSame(d, hold.takeHeld());
        assertNull(hold.takeHeld(), "handed back once");
    }

    @Test
    void theBackOffStartsOverAfterTheStoreAnswered() throws Exception {
        hold.hold(aDelivery());
        failuresLeft.set(2);
        assertFalse(hold.storeAnswers());
        assertFalse(hold.storeAnswers());
        assertTrue(hold.storeAnswers());
        hold.takeHeld();
        hold.hold(aDelivery());
        failuresLeft.set(1);
        assertFalse(hold.storeAnswers());
        assertEquals(List.of(250L, 500L, 250L), paused.stream().map(Duration::toMillis).toList());
    }
}
