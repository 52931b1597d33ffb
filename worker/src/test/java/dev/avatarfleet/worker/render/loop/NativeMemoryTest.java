package dev.avatarfleet.worker.render.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.media.SyntheticSpeech;
import dev.avatarfleet.worker.media.TestAudio;
import dev.avatarfleet.worker.render.avatar.PreparedImage;
import dev.avatarfleet.worker.render.model.ModelFixture;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many ticks of the real loop and the real model leave native memory flat: every input tensor and
 * Result is closed each tick (an unclosed Result alone leaks each tick's output tensors).
 *
 * <p>The 10,000 ticks, at 128x128 with 4 sessions (plus a fifth that joins and leaves), stepped
 * back to back: 27.5 s on this 2-core machine at load average 1.7 (measured). Each tick moves about
 * 0.5 MB through native tensors (inputs, outputs, the rebuilt batch image), so leaking any of them
 * per tick would add gigabytes here, far above the bound.
 */
class NativeMemoryTest {

    private static final int W = 128;
    private static final int H = 128;
    private static final int SESSIONS = 4;
    private static final int WARM_UP = 300;
    private static final int TICKS = 10_000;

    @Test
    void thousandsOfTicksLeaveNativeMemoryFlat() throws Exception {
        FakeTimer timer = new FakeTimer();
        // why: with idle loops, so that a silent session's loop is rendered, used and dropped again with the churn
        BatchRenderLoop loop = new BatchRenderLoop(ModelFixture.model(W, H), W, H, timer, new IdleLoops(ModelFixture.model(W, H)), SESSIONS + 1);
        PreparedImage avatar = ModelFixture.defaultAvatar(W, H);
        AtomicLong frames = new AtomicLong();
        for (int i = 0; i < SESSIONS; i++) {
            loop.attach("s" + i, avatar, new SyntheticSpeech(), f -> frames.incrementAndGet());
        }
        RenderSlot churn = null;
        for (int i = 0; i < WARM_UP; i++) {
            loop.step();
        }
        long before = nativeBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < TICKS; i++) {
            // why: a fifth session joins and leaves every 1,000 ticks, so the batch image tensor is rebuilt too
            if (i % 1000 == 0) {
                if (churn != null) {
                    churn.close();
                    churn = null;
                } else {
                    churn = loop.attach("churn", avatar, TestAudio.feed(k -> TestAudio.silence()), f -> { });
                }
            }
            loop.step();
        }
        long after = nativeBytes();
        loop.close();
        System.out.printf("native memory test: %d ticks in %.1f s, native (RSS - committed heap) %d MB -> %d MB%n",
                TICKS, (System.nanoTime() - t0) / 1e9, before >> 20, after >> 20);
        assertEquals((long) SESSIONS * (WARM_UP + TICKS), frames.get());
        assertTrue(after - before < 48L << 20, "native memory grew by " + ((after - before) >> 20) + " MB over " + TICKS + " ticks");
    }

    /** Resident memory outside the Java heap (the heap may grow while the test allocates frames). */
    private static long nativeBytes() throws IOException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return kb * 1024 - heap;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
