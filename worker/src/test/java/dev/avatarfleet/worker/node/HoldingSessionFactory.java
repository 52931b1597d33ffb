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
        Held held = new Held(events);
        sessions.put(spec.taskId(), held);
        all.add(Map.entry(spec.taskId(), held));
        events.running();
        return held;
    }

    /** How many sessions of the task are live (started and not ended) here now. */
    public long live(String taskId) {
        return all.stream().filter(e -> e.getKey().equals(taskId) && !e.getValue().isEnded()).count();
    }

    /** One held session. */
    public static final class Held implements AvatarSession {
        private final SessionEvents events;
        private final AtomicBoolean ended = new AtomicBoolean();

        Held(SessionEvents events) {
            this.events = events;
        }

        @Override
        public void stop(String reason) {
            if (ended.compareAndSet(false, true)) {
                events.ended(SessionEnd.cancelled(reason));
            }
        }

        /** Whether it has ended (stopped or completed). */
        public boolean isEnded() {
            return ended.get();
        }

        /** Ends it as the agent leaving would. */
        public void complete() {
            if (ended.compareAndSet(false, true)) {
                events.ended(SessionEnd.completed("agent_left"));
            }
        }
    }
}
