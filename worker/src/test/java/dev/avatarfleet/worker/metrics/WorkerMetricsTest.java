package dev.avatarfleet.worker.metrics;

import dev.avatarfleet.common.metrics.NodeMetrics;
import dev.avatarfleet.common.store.WorkerStates;
import dev.avatarfleet.testkit.MutableClock;
import dev.avatarfleet.testkit.PrometheusScrape;
import dev.avatarfleet.worker.media.RenderedFrame;
import dev.avatarfleet.worker.media.TickSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The worker's meters with an injected clock: frame intervals, first frame, encode windows, slot gauges. */
class WorkerMetricsTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:10Z"));
    private final WorkerMetrics metrics = new WorkerMetrics(NodeMetrics.create("w-test"), clock, nanos::get);

    @Test
    void framesAreTimedBetweenSendsAndTheFirstOneFromTheTasksCreation() {
        metrics.createdAtFrom(id -> id.equals("t1") ? Optional.of(Instant.parse("2026-12-05T12:00:09.250Z")) : Optional.empty());
        List<RenderedFrame> sent = new ArrayList<>();
        TickSink sink = metrics.session("t1").measure(sent::add);
        for (int i = 0; i < 4; i++) {
            sink.accept(new RenderedFrame(i, 2, 2, new byte[6], new short[0], false));
            nanos.addAndGet(40_000_000L);
        }
        assertEquals(4, sent.size(), "every frame still reaches the tracks");
        PrometheusScrape m = PrometheusScrape.parse(metrics.node().scrape());
        assertEquals(3.0, m.value("avatarfleet_frame_interval_seconds_count", Map.of()).orElseThrow());
        assertEquals(0.12, m.value("avatarfleet_frame_interval_seconds_sum", Map.of()).orElseThrow(), 1e-9);
        assertEquals(3.0, m.value("avatarfleet_frame_interval_seconds_bucket", Map.of("le", "0.04")).orElseThrow());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            PrometheusScrape after = PrometheusScrape.parse(metrics.node().scrape());
            assertEquals(1.0, after.value("avatarfleet_time_to_first_frame_seconds_count", Map.of()).orElseThrow());
            assertEquals(0.75, after.value("avatarfleet_time_to_first_frame_seconds_sum", Map.of()).orElseThrow(), 1e-9);
        });
    }

    @Test
    void encodeTimeIsTheMeanOfEachStatsWindowForEachFrameEncodedInIt() {
        SessionMeter session = metrics.session("t2");
        session.outboundVideo(Map.of("framesEncoded", 100L, "totalEncodeTime", 0.5));
        session.outboundVideo(Map.of("framesEncoded", 150L, "totalEncodeTime", 0.75));
        session.outboundVideo(Map.of("kind", "video"));
        PrometheusScrape m = PrometheusScrape.parse(metrics.node().scrape());
        assertEquals(50.0, m.value("avatarfleet_encode_seconds_count", Map.of()).orElseThrow(), "the first record only sets the baseline");
        assertEquals(0.25, m.value("avatarfleet_encode_seconds_sum", Map.of()).orElseThrow(), 1e-6);
        assertEquals(50.0, m.value("avatarfleet_encode_seconds_bucket", Map.of("le", "0.005")).orElseThrow());
    }

    @Test
    void slotsOfferedAndLoadFollowTheWorkersState() {
        assertEquals(3, WorkerMetrics.available(WorkerStates.aReadyWorker("w").withSlots(4).holding(1).build()));
        assertEquals(0, WorkerMetrics.available(WorkerStates.aReadyWorker("w").withSlots(4).holding(1).warming().build()));
        assertEquals(0, WorkerMetrics.available(WorkerStates.aReadyWorker("w").withSlots(4).holding(1).draining().build()));
        assertEquals(0, WorkerMetrics.available(WorkerStates.aReadyWorker("w").withSlots(4).holding(1).saturated().build()));
        assertEquals(0.25, WorkerMetrics.loadRatio(WorkerStates.aReadyWorker("w").withSlots(4).holding(1).build()));
        assertEquals(1.0, WorkerMetrics.loadRatio(WorkerStates.aReadyWorker("w").withSlots(4).holding(1).saturated().build()),
                "a saturated worker with sessions offers nothing more: full for the autoscaler");
        assertEquals(0.0, WorkerMetrics.loadRatio(WorkerStates.aReadyWorker("w").withSlots(4).draining().build()));
    }
}
