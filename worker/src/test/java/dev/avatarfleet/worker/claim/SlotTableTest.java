package dev.avatarfleet.worker.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotTableTest {

    @Test
    void aSlotWhoseSessionWasAskedToStopIsCountedAsStoppingUntilReleasedAndStaysHeld() {
        SlotTable slots = new SlotTable(3);
        assertTrue(slots.tryReserve("t1"));
        assertTrue(slots.tryReserve("t2"));
        assertTrue(slots.tryReserve("t3"));
        List<String> stops = new ArrayList<>();
        slots.attach("t1", stops::add);
        slots.attach("t2", stops::add);
        assertEquals(0, slots.stopping());

        slots.handOver("t1", "redis unreachable: fenced");
        // why: a stop asked before the session is attached is remembered, and counts as stopping already
        slots.stop("t3", "cancelled");
        assertEquals(List.of("redis unreachable: fenced"), stops);
        assertEquals(2, slots.stopping());
        assertEquals(3, slots.active(), "a stopping session's slot is held until its end is written");
        assertEquals(0, slots.free());

        slots.release("t1");
        assertEquals(1, slots.stopping());
        assertEquals(2, slots.active());
    }
}
