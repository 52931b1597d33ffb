package dev.avatarfleet.worker.node;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.worker.session.AvatarSession;
import dev.avatarfleet.worker.session.SessionEnd;
import dev.avatarfleet.worker.session.SessionEvents;
import dev.avatarfleet.worker.session.SessionFactory;

/**
 * Test-only: a session that reports running at once and holds its slot until it is stopped (the
 * issue allows this for control-plane tests; the real session comes with the avatar participant).
 * As the real session, it is over the moment it is stopped and tells its end from its own thread.
 */
public final class HoldingSessionFactory implements SessionFactory {

    /** Every start, in order (a task id twice would mean a session started twice). */
    public final List<String> started = new CopyOnWriteArrayList<>();
    public final Map<String, Held> sessions = new ConcurrentHashMap<>();
    /** Every session ever started, with its task id. */
    private final List<Map.Entry<String, Held>> all = new CopyOnWriteArrayList<>();

    @Override
    public AvatarSession start(LaunchSpec spec, byte[] avatarImage, SessionEvents events) {
        started.add(spec.taskId());
        Held held = new Held(events, System.nanoTime());
        sessions.put(spec.taskId(), held);
        all.add(Map.entry(spec.taskId(), held));
        events.running();
        return held;
    }

    /** Every session of the task ever started here, oldest first. */
    public List<Held> all(String taskId) {
        return all.stream().filter(e -> e.getKey().equals(taskId)).map(Map.Entry::getValue).toList();
    }

    /** How many sessions of the task are live (started and not ended) here now. */
    public long live(String taskId) {
        return all.stream().filter(e -> e.getKey().equals(taskId) && !e.getValue().isEnded()).count();
    }

    /** One held session. */
    public static final class Held implements AvatarSession {
        private final SessionEvents events;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** {@link System#nanoTime()} when it started and when it ended (0 while live). */
        public final long startedAt;
        private volatile long endedAt;
        private volatile String stopReason;

        Held(SessionEvents events, long startedAt) {
            this.events = events;
            this.startedAt = startedAt;
        }

        @Override
        public void stop(String reason) {
            if (ended.compareAndSet(false, true)) {
                endedAt = System.nanoTime();
                stopReason = reason;
                // why: the real session's runner writes its end, not the thread that asked it to stop
                Thread.ofVirtual().name("held-session-end").start(() -> events.ended(SessionEnd.cancelled(reason)));
            }
        }

        /** {@link System#nanoTime()} when it ended, 0 while live. */
        public long endedAt() {
            return endedAt;
        }

        /** Why it was stopped, or null. */
        public String stopReason() {
            return stopReason;
        }

        /** Whether it has ended (stopped or completed). */
        public boolean isEnded() {
            return ended.get();
        }

        /** Ends it as the agent leaving would. */
        public void complete() {
            if (ended.compareAndSet(false, true)) {
                endedAt = System.nanoTime();
                events.ended(SessionEnd.completed("agent_left"));
            }
        }
    }
}
