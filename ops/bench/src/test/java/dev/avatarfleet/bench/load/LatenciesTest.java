package dev.avatarfleet.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void nearestRankPercentiles() {
        Latencies l = new Latencies();
        for (int i = 100; i >= 1; i--) {
            l.add(i);
        }
        assertEquals(50.0, l.percentile(50));
        assertEquals(99.0, l.percentile(99));
        assertEquals(100.0, l.percentile(100));
        assertEquals(1.0, l.percentile(0));
    }

    @Test
    void emptyIsNotANumberAndADashInATable() {
        Latencies l = new Latencies();
        assertTrue(Double.isNaN(l.percentile(50)));
        assertEquals("-", Latencies.cell(l.percentile(50)));
        assertEquals("12.3", Latencies.cell(12.34));
    }
}
