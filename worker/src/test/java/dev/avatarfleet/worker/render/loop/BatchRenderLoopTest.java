package dev.avatarfleet.worker.render.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.media.RenderedFrame;
import dev.avatarfleet.worker.media.TestAudio;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.BatchModel;
import dev.avatarfleet.worker.render.model.BatchOutput;
import dev.avatarfleet.worker.render.model.ModelFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchRenderLoopTest {

    private static final int W = 64;
    private static final int H = 64;

    private final FakeTimer timer = new FakeTimer();
    private final PreparedImage avatar = ModelFixture.defaultAvatar(W, H);
    private final List<Integer> batchSizes = new ArrayList<>();
    private double modelMillis = 5;

    /** The real model; the fake clock says each call took modelMillis. */
    private final BatchModel timedModel = (images, input, rgb) -> {
        batchSizes.add(input.size());
        BatchOutput out = ModelFixture.model().run(images, input, rgb);
        timer.advanceMillis(modelMillis);
        return out;
    };

    private final BatchRenderLoop loop = new BatchRenderLoop(timedModel, W, H, timer);

    @Test
    void everySessionGetsOneFrameAndItsOwnAudioPerTickFromOneBatchedCall() throws Exception {
        List<RenderedFrame> a = new ArrayList<>();
        List<RenderedFrame> b = new ArrayList<>();
        loop.attach("a", avatar, TestAudio.feed(TestAudio::vowel), a::add);
        loop.attach("b", avatar, TestAudio.feed(k -> TestAudio.silence()), b::add);
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
    void sessionsAttachAndDetachBetweenTicks() throws Exception {
        List<RenderedFrame> a = new ArrayList<>();
        List<RenderedFrame> b = new ArrayList<>();
        RenderSlot slotA = loop.attach("a", avatar, TestAudio.feed(k -> TestAudio.silence()), a::add);
        loop.step();
        RenderSlot slotB = loop.attach("b", avatar, TestAudio.feed(k -> TestAudio.silence()), b::add);
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
        loop.attach("good", avatar, TestAudio.feed(TestAudio::vowel), good::add);
        loop.step();
        loop.step();
        assertEquals(2, good.size());
    }

    @Test
    void aFailedModelCallDropsOneTickAndTheLoopGoesOn() throws Exception {
        List<RenderedFrame> frames = new ArrayList<>();
        boolean[] failNext = {false};
        BatchRenderLoop flaky = new BatchRenderLoop((images, input, rgb) -> {
            if (failNext[0]) {
                failNext[0] = false;
                throw new IllegalStateException("simulated runtime error of a foreign model");
            }
            return timedModel.run(images, input, rgb);
        }, W, H, timer);
        flaky.attach("a", avatar, TestAudio.feed(k -> TestAudio.silence()), frames::add);
        flaky.step();
        failNext[0] = true;
        flaky.step();
        flaky.step();
        assertEquals(2, frames.size());
        assertEquals(List.of(0L, 2L), frames.stream().map(RenderedFrame::tick).toList(), "the session clock kept going");
        assertEquals(1, flaky.stats().failures());
    }

    @Test
    void refusesAnAvatarOfAnotherSize() {
        PreparedImage big = ModelFixture.defaultAvatar(128, 128);
        assertThrows(IllegalArgumentException.class, () -> loop.attach("x", big, TestAudio.feed(k -> TestAudio.silence()), f -> { }));
    }
}
