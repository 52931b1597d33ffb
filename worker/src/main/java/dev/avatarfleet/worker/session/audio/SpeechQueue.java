package dev.avatarfleet.worker.session.audio;

import dev.avatarfleet.worker.media.AudioFeed;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * One session's queue of speech, 48 kHz mono int16, in segments (one per agent byte stream). The
 * render loop pulls it one tick at a time through {@link #next}; the moment a segment's last sample
 * has been pulled, the segment is reported as played. Thread safe: intake threads append while the
 * render thread pulls; every critical section is a short array copy, so {@link #next} never waits
 * on I/O.
 */
public final class SpeechQueue implements AudioFeed {

    /** Default bound on queued speech: 120 s (about 11 MB), far above any honest agent's lead. */
    public static final int DEFAULT_MAX_QUEUED_SAMPLES = SAMPLE_RATE * 120;
    /** Default bound on segments waiting at once. */
    public static final int DEFAULT_MAX_SEGMENTS = 16;

    private final Object lock = new Object();
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final Consumer<SegmentPlayed> listener;
    private final Consumer<String> started;
    private final int maxQueuedSamples;
    private final int maxSegments;
    private long queuedSamples;
    private long droppedSamples;

    /**
     * @param listener told about every segment that ends; called on the render thread (for played
     *                 segments) or the clearing thread, outside the queue's lock: it must not block
     */
    public SpeechQueue(Consumer<SegmentPlayed> listener, int maxQueuedSamples, int maxSegments) {
        this(listener, id -> { }, maxQueuedSamples, maxSegments);
    }

    /**
     * @param started told the id of each segment whose first samples were just pulled (they leave with this
     *                tick's video frame), once per segment, before its end is reported; on the render thread,
     *                outside the queue's lock: it must not block
     */
    public SpeechQueue(Consumer<SegmentPlayed> listener, Consumer<String> started, int maxQueuedSamples, int maxSegments) {
        if (maxQueuedSamples < SAMPLES_PER_TICK || maxSegments < 1) {
            throw new IllegalArgumentException("queue bounds too small");
        }
        this.listener = listener;
        this.started = started;
        this.maxQueuedSamples = maxQueuedSamples;
        this.maxSegments = maxSegments;
    }

    public SpeechQueue(Consumer<SegmentPlayed> listener) {
        this(listener, DEFAULT_MAX_QUEUED_SAMPLES, DEFAULT_MAX_SEGMENTS);
    }

    public SpeechQueue(Consumer<SegmentPlayed> listener, Consumer<String> started) {
        this(listener, started, DEFAULT_MAX_QUEUED_SAMPLES, DEFAULT_MAX_SEGMENTS);
    }

    /** Opens a segment; false (and nothing queued) when too many segments are already waiting. */
    public boolean begin(String segmentId) {
        synchronized (lock) {
            if (segments.size() >= maxSegments || find(segmentId) != null) {
                return false;
            }
            segments.addLast(new Segment(segmentId));
            return true;
        }
    }

    /**
     * Appends samples to an open segment. Samples for a segment that is unknown, ended or cleared
     * are dropped, and so is whatever would take the queue past its bound.
     *
     * @return the number of samples queued
     */
    public int append(String segmentId, short[] samples) {
        if (samples.length == 0) {
            return 0;
        }
        synchronized (lock) {
            Segment segment = find(segmentId);
            if (segment == null || segment.ended) {
                droppedSamples += samples.length;
                return 0;
            }
            int room = (int) Math.max(0, maxQueuedSamples - queuedSamples);
            int take = Math.min(room, samples.length);
            droppedSamples += samples.length - take;
            if (take > 0) {
                segment.chunks.addLast(take == samples.length ? samples : Arrays.copyOf(samples, take));
                segment.available += take;
                queuedSamples += take;
            }
            return take;
        }
    }

    /** Marks a segment complete: once its last sample is pulled, it is reported as played. */
    public void end(String segmentId) {
        List<SegmentPlayed> done = new ArrayList<>(1);
        synchronized (lock) {
            Segment segment = find(segmentId);
            if (segment == null) {
                return;
            }
            segment.ended = true;
            // why: an empty segment at the head would otherwise only be reported on the next tick
            reportDrainedHead(done);
        }
        done.forEach(listener);
    }

    /**
     * Drops every queued sample at once and reports each segment that had not been reported yet
     * as interrupted (the one playing with its played position, waiting ones at 0 s).
     *
     * @return what was reported, in queue order
     */
    public List<SegmentPlayed> clear() {
        List<SegmentPlayed> cut = new ArrayList<>();
        synchronized (lock) {
            for (Segment segment : segments) {
                cut.add(new SegmentPlayed(segment.id, seconds(segment.played), true));
            }
            segments.clear();
            queuedSamples = 0;
        }
        cut.forEach(listener);
        return cut;
    }

    @Override
    public boolean next(short[] out) {
        if (out.length != SAMPLES_PER_TICK) {
            throw new IllegalArgumentException("a tick is " + SAMPLES_PER_TICK + " samples");
        }
        // why: starts (segment ids) and ends (SegmentPlayed) in the order they happened within the tick
        List<Object> happened = null;
        int filled = 0;
        synchronized (lock) {
            while (filled < out.length) {
                Segment head = segments.peekFirst();
                if (head == null || head.available == 0) {
                    break;
                }
                if (happened == null) {
                    happened = new ArrayList<>(2);
                }
                if (head.played == 0) {
                    happened.add(head.id);
                }
                filled += head.take(out, filled, out.length - filled);
                reportDrainedHead(happened);
            }
            queuedSamples -= filled;
            if (happened == null && !segments.isEmpty()) {
                happened = new ArrayList<>(1);
                reportDrainedHead(happened);
            }
        }
        Arrays.fill(out, filled, out.length, (short) 0);
        if (happened != null) {
            for (Object event : happened) {
                if (event instanceof SegmentPlayed played) {
                    listener.accept(played);
                } else {
                    started.accept((String) event);
                }
            }
        }
        return filled > 0;
    }

    /** True while any segment is queued or open (the agent is speaking or about to). */
    public boolean hasSpeech() {
        synchronized (lock) {
            return !segments.isEmpty();
        }
    }

    /** Samples waiting to be pulled. */
    public long queuedSamples() {
        synchronized (lock) {
            return queuedSamples;
        }
    }

    /** Samples refused so far because of a bound or an unknown segment. */
    public long droppedSamples() {
        synchronized (lock) {
            return droppedSamples;
        }
    }

    private void reportDrainedHead(List<? super SegmentPlayed> done) {
        while (true) {
            Segment head = segments.peekFirst();
            if (head == null || head.available > 0 || !head.ended) {
                return;
            }
            segments.removeFirst();
            done.add(new SegmentPlayed(head.id, seconds(head.played), false));
        }
    }

    private Segment find(String id) {
        for (Iterator<Segment> it = segments.iterator(); it.hasNext(); ) {
            Segment segment = it.next();
            if (segment.id.equals(id)) {
                return segment;
            }
        }
        return null;
    }

    private static double seconds(long samples) {
        return samples / (double) SAMPLE_RATE;
    }

    private static final class Segment {
        final String id;
        final ArrayDeque<short[]> chunks = new ArrayDeque<>();
        int headOffset;
        long available;
        long played;
        boolean ended;

        Segment(String id) {
            this.id = id;
        }

        int take(short[] out, int at, int max) {
            int copied = 0;
            while (copied < max && !chunks.isEmpty()) {
                short[] chunk = chunks.peekFirst();
                int n = Math.min(max - copied, chunk.length - headOffset);
                System.arraycopy(chunk, headOffset, out, at + copied, n);
                copied += n;
                headOffset += n;
                if (headOffset == chunk.length) {
                    chunks.removeFirst();
                    headOffset = 0;
                }
            }
            available -= copied;
            played += copied;
            return copied;
        }
    }
}
