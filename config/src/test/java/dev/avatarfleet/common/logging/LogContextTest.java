package dev.avatarfleet.common.logging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LogContextTest {

    private final LogContext session = LogContext.session("t-1", "w-1", "room-1");

    @Test
    void openSetsTheKeysAndCloseRestoresWhatWasThere() {
        MDC.put("other", "x");
        try (LogContext.Scope ignored = session.open()) {
            assertEquals("t-1", MDC.get("task_id"));
            assertEquals("w-1", MDC.get("worker_id"));
            assertEquals("room-1", MDC.get("room_name"));
            assertEquals("x", MDC.get("other"));
        }
        assertNull(MDC.get("task_id"));
        assertEquals("x", MDC.get("other"));
        MDC.clear();
    }

    @Test
    void aWrappedTaskCarriesItsContextOntoAVirtualThread() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        Runnable task = () -> seen.complete(MDC.get("task_id"));
        Thread.ofVirtual().start(session.wrap(task)).join();
        assertEquals("t-1", seen.get());
    }

    @Test
    void aBoundExecutorRunsEveryTaskWithItsContextWhoeverSubmits() throws Exception {
        ExecutorService bound = session.bind(Executors.newSingleThreadExecutor());
        try {
            assertEquals("room-1", bound.submit(() -> MDC.get("room_name")).get(5, TimeUnit.SECONDS));
        } finally {
            bound.shutdownNow();
        }
    }

    @Test
    void aPropagatingPoolAndSchedulerRunEachTaskWithItsSubmittersContext() throws Exception {
        ExecutorService pool = LogContext.propagating(Executors.newFixedThreadPool(1));
        ScheduledExecutorService timers = LogContext.propagating(Executors.newScheduledThreadPool(1));
        try {
            try (LogContext.Scope ignored = session.open()) {
                assertEquals("t-1", pool.submit(() -> MDC.get("task_id")).get(5, TimeUnit.SECONDS));
                assertEquals("t-1", timers.schedule(() -> MDC.get("task_id"), 10, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS));
            }
            try (LogContext.Scope ignored = LogContext.session("t-2", "w-1", "room-2").open()) {
                assertEquals("t-2", pool.submit(() -> MDC.get("task_id")).get(5, TimeUnit.SECONDS), "not the pool thread's last");
            }
            assertNull(pool.submit(() -> MDC.get("task_id")).get(5, TimeUnit.SECONDS), "no context, none set");
        } finally {
            pool.shutdownNow();
            timers.shutdownNow();
        }
    }

    @Test
    void currentCopiesTheCallingThreadsContext() {
        try (LogContext.Scope ignored = session.open()) {
            assertEquals(Map.of("task_id", "t-1", "worker_id", "w-1", "room_name", "room-1"), LogContext.current().values());
        }
        assertEquals(Map.of(), LogContext.current().values());
    }
}
