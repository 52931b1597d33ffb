package dev.avatarfleet.common.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessMemoryTest {

    @Test
    void rssIsVmRssInBytesAndNativeIsRssLessTheCommittedHeap() {
        ProcessMemory m = new ProcessMemory(() -> "Name:\tjava\nVmPeak:\t 9999 kB\nVmRSS:\t  204800 kB\nThreads:\t40\n",
                () -> 100L * 1024 * 1024);
        assertEquals(200.0 * 1024 * 1024, m.rssBytes());
        assertEquals(100.0 * 1024 * 1024, m.nativeBytes());
    }

    @Test
    void nativeIsNeverNegativeAndBothAreNaNWithoutProc() {
        assertEquals(0.0, new ProcessMemory(() -> "VmRSS:\t1 kB\n", () -> 1L << 30).nativeBytes());
        assertTrue(Double.isNaN(new ProcessMemory(() -> null, () -> 0L).rssBytes()));
        assertTrue(Double.isNaN(new ProcessMemory(() -> "Name: x\n", () -> 0L).nativeBytes()));
    }

    @Test
    void theSystemReadingIsPlausible() {
        ProcessMemory m = ProcessMemory.system();
        assertTrue(m.rssBytes() > 10 * 1024 * 1024, "RSS " + m.rssBytes());
        assertTrue(m.nativeBytes() >= 0);
    }
}
