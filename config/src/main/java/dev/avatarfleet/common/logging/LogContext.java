package dev.avatarfleet.common.logging;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The keys a session's log lines carry ({@code task_id}, {@code worker_id}, {@code room_name}; in
 * {@code LOG_FORMAT=json} each a field of its own), and their way onto every thread the session uses: MDC is
 * per thread and not inherited, so a virtual thread, an executor's task or a connection's own thread gets the
 * context it was started for through {@link #wrap} or {@link #bind}.
 *
 * <pre>{@code
 * LogContext session = LogContext.session(taskId, workerId, roomName);
 * Thread.ofVirtual().start(session.wrap(() -> LOG.info("joined")));   // {"message":"joined","task_id":...}
 * ExecutorService pool = session.bind(Executors.newSingleThreadExecutor());
 * }</pre>
 */
public final class LogContext {

    public static final String TASK_ID = "task_id";
    public static final String WORKER_ID = "worker_id";
    public static final String ROOM_NAME = "room_name";

    private static final LogContext EMPTY = new LogContext(Map.of());

    private final Map<String, String> values;

    private LogContext(Map<String, String> values) {
        this.values = values;
    }

    /** The context of one session of a task on a worker. */
    public static LogContext session(String taskId, String workerId, String roomName) {
        java.util.LinkedHashMap<String, String> v = new java.util.LinkedHashMap<>();
        put(v, TASK_ID, taskId);
        put(v, WORKER_ID, workerId);
        put(v, ROOM_NAME, roomName);
        return new LogContext(Map.copyOf(v));
    }

    /** The calling thread's context now (empty when it has none). */
    public static LogContext current() {
        Map<String, String> copy = MDC.getCopyOfContextMap();
        return copy == null || copy.isEmpty() ? EMPTY : new LogContext(Map.copyOf(copy));
    }

    /** The keys and values of this context. */
    public Map<String, String> values() {
        return values;
    }

    /** Sets this context on the calling thread until {@link Scope#close()}, which puts back what was there. */
    public Scope open() {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        if (values.isEmpty()) {
            return () -> { };
        }
        values.forEach(MDC::put);
        return () -> {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        };
    }

    /** {@code task}, run with this context. */
    public Runnable wrap(Runnable task) {
        return () -> {
            try (Scope ignored = open()) {
                task.run();
            }
        };
    }

    /** {@code task}, run with this context. */
    public <T> Callable<T> wrap(Callable<T> task) {
        return () -> {
            try (Scope ignored = open()) {
                return task.call();
            }
        };
    }

    /** An executor that runs every task with this context (e.g. a connection's own thread). */
    public ExecutorService bind(ExecutorService executor) {
        return new ContextExecutor(executor, () -> this);
    }

    /**
     * An executor that runs each task with the context of the thread that submitted it: a pool shared by
     * sessions (their blocking work, their timers) keeps each task's session.
     */
    public static ExecutorService propagating(ExecutorService executor) {
        return new ContextExecutor(executor, LogContext::current);
    }

    /** As {@link #propagating(ExecutorService)}, for timers: each scheduled task runs with its scheduler's context. */
    public static ScheduledExecutorService propagating(ScheduledExecutorService timers) {
        return new ContextScheduler(timers);
    }

    /** As {@link #propagating(ExecutorService)}, for a plain executor. */
    public static Executor propagating(Executor executor) {
        return task -> {
            LogContext context = current();
            executor.execute(context.wrap(task));
        };
    }

    private static void put(Map<String, String> v, String key, String value) {
        if (value != null && !value.isBlank()) {
            v.put(key, value);
        }
    }

    /** A context set on a thread; closing it puts the thread's earlier context back. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** A scheduler decorator whose tasks run with the context of the thread that scheduled them. */
    private static final class ContextScheduler extends ContextExecutor implements ScheduledExecutorService {
        private final ScheduledExecutorService timers;

        ContextScheduler(ScheduledExecutorService timers) {
            super(timers, LogContext::current);
            this.timers = timers;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return timers.schedule(current().wrap(command), delay, unit);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return timers.schedule(current().wrap(callable), delay, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return timers.scheduleAtFixedRate(current().wrap(command), initialDelay, period, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            return timers.scheduleWithFixedDelay(current().wrap(command), initialDelay, delay, unit);
        }
    }

    /** An executor service decorator that runs tasks with a context taken at submission. */
    private static class ContextExecutor extends java.util.concurrent.AbstractExecutorService {
        private final ExecutorService delegate;
        private final Supplier<LogContext> context;

        ContextExecutor(ExecutorService delegate, Supplier<LogContext> context) {
            this.delegate = delegate;
            this.context = context;
        }

        @Override
        public void execute(Runnable command) {
            delegate.execute(context.get().wrap(command));
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return delegate.submit(context.get().wrap(task));
        }

        @Override
        public Future<?> submit(Runnable task) {
            return delegate.submit(context.get().wrap(task));
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
            return delegate.invokeAll(tasks.stream().map(t -> context.get().wrap(t)).toList());
        }
    }
}
