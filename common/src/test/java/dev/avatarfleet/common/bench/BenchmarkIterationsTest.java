package dev.avatarfleet.common.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BenchmarkIterationsTest {

    @Test
    void absentIsTheDefaultAndBoundsAreInclusive() {
        assertEquals(10, BenchmarkIterations.parse(null));
        assertEquals(1, BenchmarkIterations.parse(" 1 "));
        assertEquals(1000, BenchmarkIterations.parse("1000"));
    }

    @Test
    void outOfRangeOrNotANumberIsRefusedWithTheReason() {
        assertEquals("iterations must be between 1 and 1000",
                assertThrows(IllegalArgumentException.class, () -> BenchmarkIterations.parse("1001")).getMessage());
        assertEquals("iterations must be between 1 and 1000",
                assertThrows(IllegalArgumentException.class, () -> BenchmarkIterations.parse("0")).getMessage());
        assertEquals("iterations must be a whole number",
                assertThrows(IllegalArgumentException.class, () -> BenchmarkIterations.parse("1e3")).getMessage());
    }
}
