package dev.avatarfleet.worker.render.loop;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.RenderClock;
import dev.avatarfleet.worker.media.RenderedFrame;
import dev.avatarfleet.worker.media.TickSink;
import dev.avatarfleet.worker.render.avatar.AvatarPreparer;
import dev.avatarfleet.worker.render.avatar.PreparedAvatar;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.BatchInput;
import dev.avatarfleet.worker.render.model.BatchModel;
import dev.avatarfleet.worker.render.model.BatchOutput;
import dev.avatarfleet.worker.render.model.Downsampler;
import dev.avatarfleet.worker.render.model.ImageBatch;
import dev.avatarfleet.worker.render.model.ModelSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.types.TUint8;

/**
 * The worker's one render loop ({@link Renderer}). On an absolute 40 ms schedule it takes a snapshot
 * of the attached sessions, pulls one tick of audio from each, runs the model once for the whole
 * batch, and hands every session its I420 frame with the same audio. The batch image tensor is
 * rebuilt only when the set of sessions changes; every other tensor lives for one call.
 *
 * <p>Example: {@code try (var loop = BatchRenderLoop.start(model, 512, 512)) { loop.attach(...); }}
 */
public final class BatchRenderLoop implements Renderer {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRenderLoop.class);

    private final BatchModel model;
    private final int width;
    private final int height;
    private final TickTimer timer;
    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final LoadMonitor load = new LoadMonitor(RenderClock.TICK_NANOS);
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong modelNanos = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final StageTimes stages = new StageTimes();
    private AbsoluteSchedule schedule;
    private List<Slot> batchKey = List.of();
    private TUint8 batchImages;
    private volatile boolean running = true;
    private Thread thread;

    /** A loop that the caller steps ({@link #step()}); {@link #start} runs one on its own thread. */
    public BatchRenderLoop(BatchModel model, int width, int height, TickTimer timer) {
        this.model = Objects.requireNonNull(model, "model");
        this.width = width;
        this.height = height;
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    /** Starts the loop on a dedicated platform thread with the system clock. */
    public static BatchRenderLoop start(BatchModel model, int width, int height) {
        BatchRenderLoop loop = new BatchRenderLoop(model, width, height, TickTimer.SYSTEM);
        // why: a platform thread at high priority: the loop is CPU-bound and time-critical, never a virtual thread
        Thread t = new Thread(loop::runLoop, "render-loop");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        loop.thread = t;
        t.start();
        return loop;
    }

    @Override
    public RenderSlot attach(String sessionId, PreparedAvatar avatar, AudioFeed audio, TickSink sink) {
        if (!(avatar instanceof PreparedImage image)) {
            throw new IllegalArgumentException("avatar was not prepared by this worker's AvatarPreparer");
        }
        if (image.width() != width || image.height() != height) {
            throw new IllegalArgumentException("avatar is " + image.width() + "x" + image.height() + ", the loop renders "
                    + width + "x" + height);
        }
        if (!running) {
            throw new IllegalStateException("the render loop is closed");
        }
        Slot slot = new Slot(Objects.requireNonNull(sessionId, "sessionId"), image, Objects.requireNonNull(audio, "audio"),
                Objects.requireNonNull(sink, "sink"));
        slots.add(slot);
        return slot;
    }

    @Override
    public boolean saturated() {
        return load.saturated();
    }

    /** Sessions attached now. */
    public int sessions() {
        return slots.size();
    }

    /** Counters for health pages and the benchmark. */
    public RenderStats stats() {
        long t = ticks.get();
        return new RenderStats(t, skipped.get(), frames.get(), failures.get(), slots.size(), load.meanMs(),
                t == 0 ? 0 : modelNanos.get() / 1e6 / t, load.saturated());
    }

    /** Where the loop's time went, per stage, summed over its ticks. */
    public StageTimes stageTimes() {
        return stages;
    }

    /**
     * Counters of the loop.
     *
     * @param ticks      ticks rendered (with at least one session)
     * @param skipped    ticks skipped because the loop fell more than one tick behind
     * @param frames     frames handed to sinks
     * @param failures   ticks dropped because the model call failed
     * @param sessions   sessions attached now
     * @param meanTickMs  mean cost of the recent ticks
     * @param meanModelMs mean time of the model call per tick, over all ticks
     * @param saturated   whether the loop takes no more sessions
     */
    public record RenderStats(long ticks, long skipped, long frames, long failures, int sessions, double meanTickMs, double meanModelMs,
                              boolean saturated) {
    }

    private void runLoop() {
        try {
            while (running) {
                step();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("the render loop stopped", e);
        } finally {
            releaseImages();
        }
    }

    /**
     * Waits for the next due tick and renders it. Called in a loop by the loop thread; tests and the
     * benchmark call it directly on a loop made with the constructor (never on one from {@link #start}).
     */
    public void step() throws InterruptedException {
        if (schedule == null) {
            schedule = new AbsoluteSchedule(timer.nanoTime(), RenderClock.TICK_NANOS);
        }
        timer.waitUntil(schedule.due());
        long began = timer.nanoTime();
        List<Slot> batch = snapshot();
        if (!batch.isEmpty()) {
            renderTick(batch);
            ticks.incrementAndGet();
        }
        long done = timer.nanoTime();
        long missed = schedule.advance(done);
        if (missed > 0) {
            skipped.addAndGet(missed);
        }
        if (batch.isEmpty()) {
            load.reset();
        } else {
            load.record(done - began, missed > 0);
        }
    }

    private List<Slot> snapshot() {
        List<Slot> batch = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            if (s.closed) {
                slots.remove(s);
            } else {
                batch.add(s);
            }
        }
        return batch;
    }

    private void renderTick(List<Slot> batch) {
        int b = batch.size();
        long a0 = timer.nanoTime();
        BatchInput input = BatchInput.allocate(b);
        short[][] pcm = new short[b][];
        boolean[] speaking = new boolean[b];
        float[] audio16k = new float[ModelSignature.AUDIO_SAMPLES];
        for (int i = 0; i < b; i++) {
            Slot s = batch.get(i);
            pcm[i] = new short[AudioFeed.SAMPLES_PER_TICK];
            try {
                speaking[i] = s.audio.next(pcm[i]);
            } catch (RuntimeException e) {
                // why: one broken feed must not stall every session; it renders silence this tick
                LOG.warn("audio feed of session " + s.id + " failed; rendering silence", e);
                java.util.Arrays.fill(pcm[i], (short) 0);
                speaking[i] = false;
            }
            Downsampler.to16k(pcm[i], audio16k, 0);
            input.set(i, audio16k, s.tick * (RenderClock.TICK_NANOS / 1e9f), s.state, s.face);
        }
        TUint8 imgs = images(batch);
        long m0 = timer.nanoTime();
        stages.add(StageTimes.Stage.AUDIO, m0 - a0);
        BatchOutput out;
        try {
            out = model.run(imgs, input, false);
        } catch (RuntimeException e) {
            // why: one failed call (a foreign model's runtime error, say) must not end every session's video;
            // this tick is dropped for all, the clock goes on, the next tick tries again
            failures.incrementAndGet();
            LOG.warn("the avatar model failed on a batch of " + b + "; tick dropped", e);
            for (Slot s : batch) {
                s.tick++;
            }
            return;
        } finally {
            long m = timer.nanoTime() - m0;
            modelNanos.addAndGet(m);
            stages.add(StageTimes.Stage.MODEL, m);
        }
        long pushNanos = 0;
        long f0 = timer.nanoTime();
        for (int i = 0; i < b; i++) {
            Slot s = batch.get(i);
            System.arraycopy(out.nextState(), i * ModelSignature.STATE_SIZE, s.state, 0, ModelSignature.STATE_SIZE);
            for (int k = 0; k < ModelSignature.STATE_SIZE; k++) {
                if (!Float.isFinite(s.state[k])) {
                    // why: a NaN in the fed-back state would poison every later frame of the session
                    java.util.Arrays.fill(s.state, 0f);
                    break;
                }
            }
            RenderedFrame frame = new RenderedFrame(s.tick, width, height, out.i420()[i], pcm[i], speaking[i]);
            s.tick++;
            if (s.closed) {
                continue;
            }
            long p0 = timer.nanoTime();
            try {
                s.sink.accept(frame);
                frames.incrementAndGet();
            } catch (RuntimeException e) {
                LOG.warn("tick sink of session " + s.id + " failed", e);
            }
            pushNanos += timer.nanoTime() - p0;
        }
        stages.add(StageTimes.Stage.FRAME, timer.nanoTime() - f0 - pushNanos);
        stages.add(StageTimes.Stage.PUSH, pushNanos);
    }

    /** The [B,H,W,3] avatar tensor for this batch, rebuilt only when the batch's members change. */
    private TUint8 images(List<Slot> batch) {
        if (batch.equals(batchKey) && batchImages != null) {
            return batchImages;
        }
        releaseImages();
        TUint8 t = ImageBatch.of(width, height, batch.stream().map(s -> s.avatar.rgb()).toList());
        batchImages = t;
        batchKey = List.copyOf(batch);
        return t;
    }

    private void releaseImages() {
        if (batchImages != null) {
            batchImages.close();
            batchImages = null;
            batchKey = List.of();
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                // why: a model call in flight takes at most a few hundred ms; the model must outlive it
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.error("the render loop did not stop within 10 s");
            }
        } else {
            releaseImages();
        }
        slots.clear();
    }

    /** True once the loop's thread has ended (or it never had one): the model may then be closed. */
    public boolean stopped() {
        Thread t = thread;
        return t == null || !t.isAlive();
    }

    /** One session's place in the batch. */
    private final class Slot implements RenderSlot {
        final String id;
        final PreparedImage avatar;
        final AudioFeed audio;
        final TickSink sink;
        final float[] state = new float[ModelSignature.STATE_SIZE];
        final float[] face;
        long tick;
        volatile boolean closed;

        Slot(String id, PreparedImage avatar, AudioFeed audio, TickSink sink) {
            this.id = id;
            this.avatar = avatar;
            this.audio = audio;
            this.sink = sink;
            this.face = avatar.face().toArray();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
