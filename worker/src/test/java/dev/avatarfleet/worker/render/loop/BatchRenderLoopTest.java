package dev.avatarfleet.worker.render.loop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.media.RenderedFrame;
import dev.avatarfleet.worker.media.TestAudio;
import dev.avatarfleet.worker.render.avatar.PatchRegion;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.AvatarModel;
import dev.avatarfleet.worker.render.model.BatchModel;
import dev.avatarfleet.worker.render.model.IdleMotion;
import dev.avatarfleet.worker.render.model.ModelBatch;
import dev.avatarfleet.worker.render.model.ModelFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchRenderLoopTest {

    private static final int W = 64;
    private static final int H = 64;

    private final FakeTimer timer = new FakeTimer();
    private final PreparedImage avatar = ModelFixture.defaultAvatar(W, H);
    private final AvatarModel real = ModelFixture.model(W, H);
    private final int p = real.patchSize();
    private final List<Integer> batchSizes = new ArrayList<>();
    private double modelMillis = 5;
    private final List<BatchRenderLoop> loops = new ArrayList<>();

    /** The real model; the fake clock says each call took modelMillis. */
    private final BatchModel timedModel = new BatchModel() {
        @Override
        public void run(ModelBatch batch) {
            batchSizes.add(batch.size());
            real.run(batch);
            timer.advanceMillis(modelMillis);
        }

        @Override
        public int patchSize() {
            return real.patchSize();
        }

        @Override
        public boolean exportsMotion() {
            return real.exportsMotion();
        }
    };

    private final BatchRenderLoop loop = loop(timedModel, null);

    private BatchRenderLoop loop(BatchModel model, IdleLoops idle) {
        BatchRenderLoop l = new BatchRenderLoop(model, W, H, timer, idle, 4);
        loops.add(l);
        return l;
    }

    @AfterEach
    void close() {
        loops.forEach(BatchRenderLoop::close);
    }

    @Test
    void everySessionGetsOneFrameAndItsOwnAudioPerTickFromOneBatchedCall() throws Exception {
        List<RenderedFrame> a = new ArrayList<>();
        List<RenderedFrame> b = new ArrayList<>();
        loop.attach("a", avatar, TestAudio.feed(TestAudio::vowel), f -> a.add(f.copy()));
        loop.attach("b", avatar, TestAudio.feed(k -> TestAudio.silence()), f -> b.add(f.copy()));
        for (int i = 0; i < 5; i++) {
            loop.step();
        }
        assertEquals(List.of(2, 2, 2, 2, 2), batchSizes, "one model call per tick for the whole batch");
        assertEquals(5, a.size());
        assertEquals(5, b.size());
        for (int k = 0; k < 5; k++) {
            assertEquals(k, a.get(k).tick());
            assertArrayEquals(TestAudio.vowel(k), a.get(k).audio(), "the frame carries the audio it was rendered from");
            assertTrue(a.get(k).speaking());
            assertFalse(b.get(k).speaking());
            assertEquals(W * H * 3 / 2, a.get(k).i420().length);
        }
    }

    @Test
    void theFrameIsTheBackgroundExactlyOutsideThePatchAndTheRenderedPatchInside() throws Exception {
        List<RenderedFrame> frames = new ArrayList<>();
        LongFunction<short[]> speech = k -> k > 3 ? TestAudio.vowel(k) : TestAudio.silence();
        loop.attach("a", avatar, TestAudio.feed(speech), f -> frames.add(f.copy()));
        for (int i = 0; i < 12; i++) {
            loop.step();
        }
        List<byte[]> patches = ModelFixture.patches(real, avatar, 12, speech, false);
        PatchRegion at = avatar.patch();
        byte[] background = avatar.i420();
        for (int k = 0; k < 12; k++) {
            byte[] f = frames.get(k).i420();
            byte[] patch = patches.get(k);
            int outside = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean in = x >= at.x() && x < at.x() + p && y >= at.y() && y < at.y() + p;
                    if (in) {
                        assertEquals(patch[(y - at.y()) * p + x - at.x()], f[y * W + x], "luma inside the patch at " + x + "," + y);
                    } else {
                        assertEquals(background[y * W + x], f[y * W + x], "luma outside the patch at " + x + "," + y);
                        outside++;
                    }
                }
            }
            for (int plane = 0; plane < 2; plane++) {
                int frameBase = W * H + plane * (W / 2) * (H / 2);
                int patchBase = p * p + plane * (p / 2) * (p / 2);
                for (int y = 0; y < H / 2; y++) {
                    for (int x = 0; x < W / 2; x++) {
                        boolean in = x >= at.x() / 2 && x < (at.x() + p) / 2 && y >= at.y() / 2 && y < (at.y() + p) / 2;
                        byte want = in ? patch[patchBase + (y - at.y() / 2) * (p / 2) + x - at.x() / 2] : background[frameBase + y * (W / 2) + x];
                        assertEquals(want, f[frameBase + y * (W / 2) + x], "chroma plane " + plane + " at " + x + "," + y);
                    }
                }
            }
            assertTrue(outside > 0, "the patch leaves part of the frame to the background");
        }
    }

    @Test
    void sessionsAttachAndDetachBetweenTicks() throws Exception {
        List<RenderedFrame> a = new ArrayList<>();
        List<RenderedFrame> b = new ArrayList<>();
        RenderSlot slotA = loop.attach("a", avatar, TestAudio.feed(k -> TestAudio.silence()), f -> a.add(f.copy()));
        loop.step();
        RenderSlot slotB = loop.attach("b", avatar, TestAudio.feed(k -> TestAudio.silence()), f -> b.add(f.copy()));
        loop.step();
        slotA.close();
        loop.step();
        loop.step();
        slotB.close();
        loop.step();
        assertEquals(List.of(1, 2, 1, 1), batchSizes, "no model call once the batch is empty");
        assertEquals(2, a.size());
        assertEquals(3, b.size());
        assertEquals(0, b.get(0).tick(), "a session's own tick count starts at 0 when it joins");
        assertEquals(0, loop.sessions());
    }

    @Test
    void theScheduleIsAbsoluteSoALateTickNeverShiftsTheClock() throws Exception {
        loop.attach("a", avatar, TestAudio.feed(k -> TestAudio.silence()), f -> { });
        long start = timer.now;
        modelMillis = 5;
        loop.step();
        modelMillis = 55; // one slow tick: over the 40 ms budget
        loop.step();
        modelMillis = 5;
        for (int i = 0; i < 5; i++) {
            loop.step();
        }
        List<Long> offsets = timer.waitedFor.stream().map(d -> (d - start) / 1_000_000).toList();
        // tick 1 ran 40..95 ms, so tick 2 (due 80) is skipped, not bunched; then back on the 40 ms grid
        assertEquals(List.of(0L, 40L, 120L, 160L, 200L, 240L, 280L), offsets);
        assertEquals(1, loop.stats().skipped());
    }

    @Test
    void aLoopThatCannotKeep25FpsReportsSaturatedAndRecoversWhenLoadDrops() throws Exception {
        RenderSlot slot = loop.attach("a", avatar, TestAudio.feed(k -> TestAudio.silence()), f -> { });
        modelMillis = 10;
        for (int i = 0; i < 30; i++) {
            loop.step();
        }
        assertFalse(loop.saturated());
        modelMillis = 38; // 95 % of the budget: every frame still on time, but no headroom
        for (int i = 0; i < 30; i++) {
            loop.step();
        }
        assertTrue(loop.saturated());
        assertEquals(0, loop.stats().skipped(), "saturated is reported before frames are lost");
        modelMillis = 10;
        for (int i = 0; i < 30; i++) {
            loop.step();
        }
        assertFalse(loop.saturated());
        slot.close();
        loop.step();
        assertFalse(loop.saturated());
    }

    @Test
    void aFailingFeedOrSinkDoesNotStopTheOtherSessions() throws Exception {
        List<RenderedFrame> good = new ArrayList<>();
        loop.attach("bad-feed", avatar, out -> {
            throw new IllegalStateException("boom");
        }, f -> { });
        loop.attach("bad-sink", avatar, TestAudio.feed(k -> TestAudio.silence()), f -> {
            throw new IllegalStateException("boom");
        });
        loop.attach("good", avatar, TestAudio.feed(TestAudio::vowel), f -> good.add(f.copy()));
        loop.step();
        loop.step();
        assertEquals(2, good.size());
    }

    @Test
    void aFailedModelCallDropsOneTickAndTheLoopGoesOn() throws Exception {
        List<RenderedFrame> frames = new ArrayList<>();
        boolean[] failNext = {false};
        BatchRenderLoop flaky = loop(new BatchModel() {
            @Override
            public void run(ModelBatch batch) {
                if (failNext[0]) {
                    failNext[0] = false;
                    throw new IllegalStateException("simulated runtime error of a foreign model");
                }
                timedModel.run(batch);
            }

            @Override
            public int patchSize() {
                return p;
            }

            @Override
            public boolean exportsMotion() {
                return true;
            }
        }, null);
        flaky.attach("a", avatar, TestAudio.feed(k -> TestAudio.silence()), f -> frames.add(f.copy()));
        flaky.step();
        failNext[0] = true;
        flaky.step();
        flaky.step();
        assertEquals(2, frames.size());
        assertEquals(List.of(0L, 2L), frames.stream().map(RenderedFrame::tick).toList(), "the session clock kept going");
        assertEquals(1, flaky.stats().failures());
    }

    @Test
    void aSessionWhoseVideoNobodyReceivesGetsItsAudioButNoRenderedFrame() throws Exception {
        List<RenderedFrame> frames = new ArrayList<>();
        boolean[] wanted = {false};
        loop.attach("unwatched", avatar, TestAudio.feed(TestAudio::vowel), new dev.avatarfleet.worker.media.TickSink() {
            @Override
            public void accept(RenderedFrame f) {
                frames.add(f.copy());
            }

            @Override
            public boolean wantsVideo() {
                return wanted[0];
            }
        });
        for (int i = 0; i < 3; i++) {
            loop.step();
        }
        assertTrue(batchSizes.isEmpty(), "no model call for a video nobody receives: " + batchSizes);
        assertEquals(3, frames.size(), "the audio still goes out every tick");
        assertArrayEquals(TestAudio.vowel(2), frames.get(2).audio());
        assertArrayEquals(avatar.i420(), frames.get(2).i420(), "no frame rendered: the prepared picture");
        wanted[0] = true;
        loop.step();
        assertEquals(List.of(1), batchSizes, "rendered again once someone receives it");
    }

    @Test
    void refusesAnAvatarOfAnotherSize() {
        PreparedImage big = ModelFixture.defaultAvatar(128, 128);
        assertThrows(IllegalArgumentException.class, () -> loop.attach("x", big, TestAudio.feed(k -> TestAudio.silence()), f -> { }));
    }

    // ---- the idle loop

    /** A loop with idle loops, its session's frames, and the loop it uses, rendered. */
    private record IdleRun(BatchRenderLoop loop, List<RenderedFrame> frames, IdleLoop idle) {
    }

    private IdleRun idleRun(LongFunction<short[]> audio) {
        // why: the loop renders in the background with the real model, so the fake clock and the call log see only ticks
        IdleLoops idle = new IdleLoops(real);
        BatchRenderLoop l = loop(timedModel, idle);
        List<RenderedFrame> frames = new ArrayList<>();
        l.attach("a", avatar, TestAudio.feed(audio), f -> frames.add(f.copy()));
        IdleLoop acquired = idle.acquire(avatar);
        await().atMost(Duration.ofSeconds(60)).until(() -> acquired.ready() || acquired.unusable());
        assertTrue(acquired.ready(), "the default model's idle motion makes a loop");
        return new IdleRun(l, frames, acquired);
    }

    private static double meanLumaDiff(byte[] a, byte[] b) {
        return ModelFixture.difference(a, b, W * H)[0];
    }

    /** The largest luma difference between consecutive frames of the idle loop, wrapping around (the loop point). */
    private double[] consecutiveIdle(IdleLoop idle) {
        int n = IdleMotion.PERIOD_TICKS;
        byte[] a = new byte[p * p * 3 / 2];
        byte[] b = new byte[p * p * 3 / 2];
        double largestInside = 0;
        double atLoopPoint = 0;
        for (int k = 0; k < n; k++) {
            idle.frame(k, a);
            idle.frame(k + 1, b);
            double d = ModelFixture.difference(a, b, p * p)[0];
            if (k == n - 1) {
                atLoopPoint = d;
            } else {
                largestInside = Math.max(largestInside, d);
            }
        }
        return new double[] {largestInside, atLoopPoint};
    }

    @Test
    void aSilentSessionAtRestShowsItsIdleLoopWithoutAModelCall() throws Exception {
        IdleRun run = idleRun(k -> TestAudio.silence());
        batchSizes.clear();
        for (int i = 0; i < 10; i++) {
            run.loop().step();
        }
        assertTrue(batchSizes.isEmpty(), "no model call for a silent session at rest: " + batchSizes);
        assertEquals(10, run.loop().stats().idleFrames());
        // why: the loop's frame for a tick is what the live model renders for that clock: the same picture
        List<byte[]> live = ModelFixture.patches(real, avatar, 10, k -> TestAudio.silence(), false);
        byte[] idleFrame = new byte[p * p * 3 / 2];
        for (int k = 0; k < 10; k++) {
            run.idle().frame(k, idleFrame);
            double[] d = ModelFixture.difference(live.get(k), idleFrame, idleFrame.length);
            assertTrue(d[0] < 0.01 && d[1] <= 1, "idle frame " + k + " is the live render: " + d[0] + " / " + d[1]);
        }
    }

    @Test
    void theIdleLoopHasNoSeamWhereItWrapsAround() {
        IdleRun run = idleRun(k -> TestAudio.silence());
        double[] d = consecutiveIdle(run.idle());
        assertTrue(d[0] > 0, "the idle avatar moves");
        assertTrue(d[1] <= d[0], "difference at the loop point " + d[1] + " vs at most " + d[0] + " between consecutive idle frames");
    }

    @Test
    void theFirstSyllableSwitchesToTheLiveModelWithoutAJumpAndSilenceReturnsToTheLoop() throws Exception {
        int speechFrom = 30;
        int speechTo = 45;
        LongFunction<short[]> audio = k -> k >= speechFrom && k < speechTo ? TestAudio.vowel(k) : TestAudio.silence();
        IdleRun run = idleRun(audio);
        int ticks = 140;
        for (int i = 0; i < ticks; i++) {
            run.loop().step();
        }
        List<RenderedFrame> f = run.frames();
        // the same session had it never used the loop
        List<byte[]> live = ModelFixture.patches(real, avatar, ticks, audio, false);
        double idleStep = consecutiveIdle(run.idle())[0];
        PatchRegion at = avatar.patch();
        for (int k = speechFrom - 2; k < speechFrom + 3; k++) {
            byte[] patch = new byte[p * p];
            for (int r = 0; r < p; r++) {
                System.arraycopy(f.get(k).i420(), (at.y() + r) * W + at.x(), patch, r * p, p);
            }
            double[] d = ModelFixture.difference(patch, live.get(k), p * p);
            assertTrue(d[0] < 0.01 && d[1] <= 1, "tick " + k + " is the always-live render: " + d[0] + " / " + d[1]);
        }
        double beforeSwitch = meanLumaDiff(f.get(speechFrom - 2).i420(), f.get(speechFrom - 1).i420());
        double atSwitch = meanLumaDiff(f.get(speechFrom - 1).i420(), f.get(speechFrom).i420());
        double liveAtSwitch = ModelFixture.difference(live.get(speechFrom - 1), live.get(speechFrom), p * p)[0] * p * p / (W * H);
        assertTrue(atSwitch <= Math.max(idleStep, liveAtSwitch) + 1e-9, "at the switch to speech " + atSwitch + " vs consecutive idle frames "
                + idleStep + " and the first syllable itself " + liveAtSwitch + " (before: " + beforeSwitch + ")");
        // after the speech the state settles and the session returns to the loop: that switch is seamless too
        assertTrue(run.loop().stats().idleFrames() > speechFrom + 20, "the session went back to its loop after the speech: "
                + run.loop().stats().idleFrames() + " idle frames");
        for (int k = speechTo; k < ticks - 1; k++) {
            double d = meanLumaDiff(f.get(k).i420(), f.get(k + 1).i420());
            double dl = ModelFixture.difference(live.get(k), live.get(k + 1), p * p)[0] * p * p / (W * H);
            assertTrue(d <= Math.max(idleStep, dl) + 0.05, "tick " + k + " to " + (k + 1) + ": " + d + " (live " + dl + ")");
        }
    }
}
