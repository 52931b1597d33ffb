package dev.avatarfleet.worker.session.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.media.AudioFeed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeechQueueTest {

    private final List<SegmentPlayed> reports = new ArrayList<>();
    private final SpeechQueue queue = new SpeechQueue(reports::add);
    private final short[] tick = new short[AudioFeed.SAMPLES_PER_TICK];

    private static short[] ones(int n) {
        short[] s = new short[n];
        java.util.Arrays.fill(s, (short) 1);
        return s;
    }

    @Test
    void silenceWhenEmpty() {
        assertFalse(queue.next(tick));
        assertEquals(0, tick[0]);
    }

    @Test
    void reportsTheSegmentOnTheTickThatPullsItsLastSample() {
        queue.begin("s1");
        queue.append("s1", ones(1920 * 2 + 100));
        queue.end("s1");
        assertTrue(queue.next(tick));
        assertTrue(queue.next(tick));
        assertTrue(reports.isEmpty());
        assertTrue(queue.next(tick));
        assertEquals(1, tick[99]);
        assertEquals(0, tick[100]);
        assertEquals(List.of(new SegmentPlayed("s1", (1920 * 2 + 100) / 48_000.0, false)), reports);
        assertFalse(queue.next(tick));
        assertEquals(1, reports.size());
    }

    @Test
    void doesNotReportAnOpenSegmentThatRanDry() {
        queue.begin("s1");
        queue.append("s1", ones(100));
        queue.next(tick);
        queue.next(tick);
        assertTrue(reports.isEmpty());
        assertTrue(queue.hasSpeech());
        queue.end("s1");
        assertEquals(List.of(new SegmentPlayed("s1", 100 / 48_000.0, false)), reports);
        assertFalse(queue.hasSpeech());
    }

    @Test
    void playsSegmentsBackToBackWithinOneTick() {
        queue.begin("a");
        queue.append("a", ones(1000));
        queue.end("a");
        queue.begin("b");
        queue.append("b", ones(2000));
        queue.end("b");
        queue.next(tick);
        assertEquals(1, tick[1919]);
        assertEquals(1, reports.size());
        queue.next(tick);
        assertEquals(2, reports.size());
        assertEquals(new SegmentPlayed("b", 2000 / 48_000.0, false), reports.get(1));
    }

    @Test
    void clearDropsEverythingAndReportsInterruptedOnce() {
        queue.begin("s1");
        queue.append("s1", ones(48_000 * 3));
        queue.next(tick);
        List<SegmentPlayed> cut = queue.clear();
        assertEquals(List.of(new SegmentPlayed("s1", 0.04, true)), cut);
        assertEquals(cut, reports);
        assertEquals(0, queue.queuedSamples());
        assertFalse(queue.next(tick));
        // the rest of the cleared stream is dropped, its trailer reports nothing more
        assertEquals(0, queue.append("s1", ones(10)));
        queue.end("s1");
        assertEquals(1, reports.size());
        assertTrue(queue.clear().isEmpty());
    }

    @Test
    void boundsQueuedSamplesAndSegments() {
        SpeechQueue small = new SpeechQueue(reports::add, 4000, 2);
        assertTrue(small.begin("a"));
        assertTrue(small.begin("b"));
        assertFalse(small.begin("c"));
        assertEquals(3000, small.append("a", ones(3000)));
        assertEquals(1000, small.append("b", ones(3000)));
        assertEquals(0, small.append("c", ones(10)));
        assertEquals(2010, small.droppedSamples());
        assertFalse(small.begin("a"), "a stream id cannot be opened twice");
    }

    @Test
    void reportsStartOncePerSegmentOnTheTickThatPullsItsFirstSample() {
        List<String> started = new ArrayList<>();
        List<String> order = new ArrayList<>();
        SpeechQueue q = new SpeechQueue(p -> order.add("finished " + p.segmentId()), id -> {
            started.add(id);
            order.add("started " + id);
        });
        q.begin("a");
        q.begin("b");
        q.next(tick);
        assertTrue(started.isEmpty(), "nothing pulled, nothing started");
        q.append("a", ones(AudioFeed.SAMPLES_PER_TICK + 100));
        q.next(tick);
        assertEquals(List.of("a"), started);
        q.end("a");
        q.append("b", ones(10));
        q.end("b");
        q.next(tick); // the rest of a and all of b in one tick
        q.next(tick);
        assertEquals(List.of("a", "b"), started);
        assertEquals(List.of("started a", "finished a", "started b", "finished b"), order);
    }

    @Test
    void aSegmentClearedBeforeItPlayedNeverStarts() {
        List<String> started = new ArrayList<>();
        SpeechQueue q = new SpeechQueue(reports::add, started::add);
        q.begin("a");
        q.append("a", ones(100));
        q.clear();
        q.next(tick);
        assertTrue(started.isEmpty());
    }
}
