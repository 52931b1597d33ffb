package dev.avatarfleet.worker.render.loop;

import dev.avatarfleet.worker.media.AudioFeed;
import dev.avatarfleet.worker.media.RenderClock;
import dev.avatarfleet.worker.media.RenderedFrame;
import dev.avatarfleet.worker.media.TickSink;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.avatar.PreparedAvatar;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.BatchModel;
import dev.avatarfleet.worker.render.model.Downsampler;
import dev.avatarfleet.worker.render.model.ModelBatch;
import dev.avatarfleet.worker.render.model.ModelSignature;
import dev.avatarfleet.worker.render.model.NativeSynthesis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one render loop ({@link Renderer}). On an absolute 40 ms schedule it takes a snapshot of the attached
 * sessions and pulls one tick of audio from each. A session that is silent and at rest shows its avatar's idle loop
 * frame for its clock (a copy); every other session is a row of one batched model call, whose motion the loop applies
 * to the session's patch ({@link NativeSynthesis}, or the model's own I420). The patch is composed into the session's
 * frame, which holds the prepared background (I420) once and only ever has its patch rows rewritten; the frame and the
 * tick's audio go to the session's sink together.
 *
 * <p>Nothing is allocated per tick but the frame's small record: every buffer (audio, frame, patch, the model's
 * batch and its tensors, the synthesis' native images) belongs to a session or to the loop and is reused. A sink gets
 * the session's buffers: it must copy what it keeps before it returns ({@link RenderedFrame}).
 *
 * <p>Example: {@code try (var loop = BatchRenderLoop.start(model, 512, 512, 8)) { loop.attach(...); }}
 */
public final class BatchRenderLoop implements Renderer {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRenderLoop.class);
    /** A session's row when it shows its idle loop's frame this tick. */
    private static final int IDLE = -1;
    /** A session's row when nobody receives its video: no frame rendered. */
    private static final int DORMANT = -2;

    private final BatchModel model;
    private final int width;
    private final int height;
    private final int patchSize;
    private final TickTimer timer;
    private final IdleLoops idleLoops;
    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final List<Slot> batch = new ArrayList<>();
    private final LoadMonitor load = new LoadMonitor(RenderClock.TICK_NANOS);
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong idleFrames = new AtomicLong();
    private final AtomicLong modelNanos = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final StageTimes stages = new StageTimes();
    private final CostMeter costs = new CostMeter();
    private ModelBatch rows;
    private AbsoluteSchedule schedule;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * A loop that the caller steps ({@link #step()}); {@link #start} runs one on its own thread.
     *
     * @param idleLoops the avatars' idle loops, or null to render silent sessions live too
     * @param capacity  the sessions the loop expects at most (its batch grows past it if needed)
     */
    public BatchRenderLoop(BatchModel model, int width, int height, TickTimer timer, IdleLoops idleLoops, int capacity) {
        this.model = Objects.requireNonNull(model, "model");
        this.width = width;
        this.height = height;
        this.patchSize = model.patchSize();
        this.timer = Objects.requireNonNull(timer, "timer");
        this.idleLoops = idleLoops;
        this.rows = new ModelBatch(patchSize, Math.max(1, capacity));
    }

    /** Starts the loop, with idle loops, on a dedicated platform thread with the system clock. */
    public static BatchRenderLoop start(BatchModel model, int width, int height, int capacity) {
        BatchRenderLoop loop = new BatchRenderLoop(model, width, height, TickTimer.SYSTEM, new IdleLoops(model), capacity);
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
        if (image.patch().size() != patchSize) {
            throw new IllegalArgumentException("avatar's patch is " + image.patch().size() + ", the model renders " + patchSize);
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

    /** The idle loops this loop uses (null when it renders every session live). */
    public IdleLoops idleLoops() {
        return idleLoops;
    }

    /** Counters for health pages and the benchmark. */
    public RenderStats stats() {
        long t = ticks.get();
        return new RenderStats(t, skipped.get(), frames.get(), idleFrames.get(), failures.get(), slots.size(), load.meanMs(),
                t == 0 ? 0 : modelNanos.get() / 1e6 / t, load.saturated());
    }

    /** What a session costs the loop, smoothed (for {@link CostCapacity}). */
    CostMeter costs() {
        return costs;
    }

    /** Where the loop's time went, per stage, summed over its ticks. */
    public StageTimes stageTimes() {
        return stages;
    }

    /**
     * Counters of the loop.
     *
     * @param ticks       ticks rendered (with at least one session)
     * @param skipped     ticks skipped because the loop fell more than one tick behind
     * @param frames      frames handed to sinks
     * @param idleFrames  of those, frames copied from an idle loop (no model call)
     * @param failures    ticks whose model call failed (their live sessions got no frame)
     * @param sessions    sessions attached now
     * @param meanTickMs  mean cost of the recent ticks
     * @param meanModelMs mean time of the model call per tick, over all ticks
     * @param saturated   whether the loop takes no more sessions
     */
    public record RenderStats(long ticks, long skipped, long frames, long idleFrames, long failures, int sessions, double meanTickMs,
                              double meanModelMs, boolean saturated) {
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
            release();
        }
    }

    /**
     * Waits for the next due tick and renders it. Called in a loop by the loop thread; tests and the benchmark call
     * it directly on a loop made with the constructor (never on one from {@link #start}).
     */
    public void step() throws InterruptedException {
        if (schedule == null) {
            schedule = new AbsoluteSchedule(timer.nanoTime(), RenderClock.TICK_NANOS);
        }
        timer.waitUntil(schedule.due());
        long began = timer.nanoTime();
        snapshot();
        if (!batch.isEmpty()) {
            renderTick();
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

    private void snapshot() {
        batch.clear();
        for (Slot s : slots) {
            if (s.closed) {
                slots.remove(s);
                s.free();
            } else {
                batch.add(s);
            }
        }
        if (batch.size() > rows.capacity()) {
            rows.close();
            rows = new ModelBatch(patchSize, batch.size() * 2);
        }
    }

    private void renderTick() {
        long a0 = timer.nanoTime();
        rows.clear();
        for (Slot s : batch) {
            try {
                s.speaking = s.audio.next(s.pcm);
            } catch (RuntimeException e) {
                // why: one broken feed must not stall every session; it renders silence this tick
                LOG.warn("audio feed of session " + s.id + " failed; rendering silence", e);
                Arrays.fill(s.pcm, (short) 0);
                s.speaking = false;
            }
            if (!s.sink.wantsVideo()) {
                // why: nobody receives this session's video: nothing to render, the tick carries its audio only
                s.row = DORMANT;
            } else if (s.showsIdleLoop()) {
                s.row = IDLE;
            } else {
                Downsampler.to16k(s.pcm, s.audio16k, 0);
                s.row = rows.add(s.avatar.patchRgb(), s.audio16k, 0, RenderClock.seconds(s.tick), s.state, s.avatar.faceVector());
            }
        }
        long m0 = timer.nanoTime();
        stages.add(StageTimes.Stage.AUDIO, m0 - a0);
        boolean modelFailed = false;
        if (rows.size() > 0) {
            try {
                model.run(rows);
            } catch (RuntimeException e) {
                // why: one failed call (a foreign model's runtime error, say) must not end every session's video;
                // this tick's live frames are dropped, idle ones still go out, the clock goes on
                failures.incrementAndGet();
                modelFailed = true;
                LOG.warn("the avatar model failed on a batch of " + rows.size() + "; live frames of this tick dropped", e);
            }
        }
        long m = timer.nanoTime() - m0;
        modelNanos.addAndGet(m);
        stages.add(StageTimes.Stage.MODEL, m);
        long pushNanos = 0;
        long liveNanos = m;
        long idleNanos = 0;
        int live = 0;
        int idle = 0;
        int pushed = 0;
        int dormant = 0;
        long f0 = timer.nanoTime();
        for (Slot s : batch) {
            boolean show = true;
            long r0 = timer.nanoTime();
            if (s.row == DORMANT) {
                dormant++;
            } else if (s.row == IDLE) {
                s.loop.frame(s.tick, s.patchI420);
                idleFrames.incrementAndGet();
            } else if (modelFailed) {
                show = false;
            } else {
                rows.nextState(s.row, s.state);
                for (float v : s.state) {
                    if (!Float.isFinite(v)) {
                        // why: a NaN in the fed-back state would poison every later frame of the session
                        Arrays.fill(s.state, 0f);
                        break;
                    }
                }
                if (rows.hasMotion()) {
                    s.synthesis().render(rows, s.row, s.patchI420, 0);
                } else {
                    rows.i420(s.row, s.patchI420, 0);
                }
            }
            long tick = s.tick++;
            if (!show || s.closed) {
                continue;
            }
            if (s.row != DORMANT) {
                PatchComposer.compose(s.patchI420, s.avatar.patch(), s.frame, width, height);
            }
            long p0 = timer.nanoTime();
            if (s.row == IDLE) {
                idle++;
                idleNanos += p0 - r0;
            } else if (s.row >= 0) {
                live++;
                liveNanos += p0 - r0;
            }
            try {
                s.sink.accept(new RenderedFrame(tick, width, height, s.frame, s.pcm, s.speaking));
                frames.incrementAndGet();
                pushed++;
            } catch (RuntimeException e) {
                LOG.warn("tick sink of session " + s.id + " failed", e);
            }
            pushNanos += timer.nanoTime() - p0;
        }
        stages.add(StageTimes.Stage.FRAME, timer.nanoTime() - f0 - pushNanos);
        stages.add(StageTimes.Stage.PUSH, pushNanos);
        if (!modelFailed) {
            costs.record(live, liveNanos, idle, idleNanos, pushed - dormant, pushNanos);
        }
    }

    private void release() {
        for (Slot s : slots) {
            s.free();
        }
        rows.close();
        if (idleLoops != null) {
            idleLoops.close();
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
            release();
        }
        slots.clear();
    }

    /** True once the loop's thread has ended (or it never had one): the model may then be closed. */
    public boolean stopped() {
        Thread t = thread;
        return t == null || !t.isAlive();
    }

    /** One session's place in the batch, and its buffers. */
    private final class Slot implements RenderSlot {
        final String id;
        final PreparedImage avatar;
        final AudioFeed audio;
        final TickSink sink;
        final float[] state = new float[ModelSignature.V2_STATE_SIZE];
        final short[] pcm = new short[AudioFeed.SAMPLES_PER_TICK];
        final float[] audio16k = new float[ModelSignature.AUDIO_SAMPLES];
        final byte[] frame;
        final byte[] patchI420;
        final IdleLoop loop;
        private NativeSynthesis synthesis;
        boolean speaking;
        int row;
        long tick;
        volatile boolean closed;
        private boolean freed;

        Slot(String id, PreparedImage avatar, AudioFeed audio, TickSink sink) {
            this.id = id;
            this.avatar = avatar;
            this.audio = audio;
            this.sink = sink;
            // why: the background is copied once; each tick rewrites the patch rows only
            this.frame = avatar.i420().clone();
            PatchRegion p = avatar.patch();
            this.patchI420 = new byte[p.size() * p.size() * 3 / 2];
            this.loop = idleLoops == null ? null : idleLoops.acquire(avatar);
        }

        /** Silent, at rest and the loop rendered: this tick is the loop's frame. */
        boolean showsIdleLoop() {
            return loop != null && !speaking && loop.ready() && loop.atRest(state);
        }

        NativeSynthesis synthesis() {
            if (synthesis == null) {
                synthesis = new NativeSynthesis(patchSize);
            }
            return synthesis;
        }

        /** Frees the session's native buffers; on the loop thread, which is the only one that uses them. */
        void free() {
            if (freed) {
                return;
            }
            freed = true;
            if (synthesis != null) {
                synthesis.close();
            }
            if (loop != null) {
                idleLoops.release(loop);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
