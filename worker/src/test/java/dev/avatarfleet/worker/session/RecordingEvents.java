package dev.avatarfleet.worker.session;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What a session reported, for assertions. */
final class RecordingEvents implements SessionEvents {

    final CompletableFuture<Long> running = new CompletableFuture<>();
    final CompletableFuture<SessionEnd> ended = new CompletableFuture<>();
    final AtomicInteger endedCalls = new AtomicInteger();
    final List<String> warnings = new CopyOnWriteArrayList<>();

    @Override
    public void running() {
        running.complete(System.nanoTime());
    }

    @Override
    public void warnings(List<String> w) {
        warnings.addAll(w);
    }

    @Override
    public void ended(SessionEnd end) {
        endedCalls.incrementAndGet();
        ended.complete(end);
    }
}
