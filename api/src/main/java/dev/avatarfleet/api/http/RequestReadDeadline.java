package dev.avatarfleet.api.http;

import dev.avatarfleet.common.http.ApiException;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts off a client that trickles its request: once the request line is read, the headers and the
 * body must arrive within {@code API_REQUEST_READ_TIMEOUT_SECONDS}, or the connection's thread is
 * interrupted, which closes its socket (a virtual thread blocked in a socket read is unblocked by
 * an interrupt that closes the socket) and ends the connection.
 *
 * <p>why: Helidon bounds each socket read and idle keep-alive connections, not a whole request; a
 * client sending one byte a second keeps its connection, its virtual thread and, with a request
 * limit, its slot for as long as the headers and body allow.
 *
 * <p>The deadline starts when the request line has been read ({@link #prologue}); a request without
 * a body is done at once ({@link #filter}); a handler that reads a body says when it has read it
 * ({@link #bodyRead}). Any other body (one no handler reads, which Helidon drains after the reply)
 * stays under the deadline. The request line itself is bounded by the server's idle connection timeout.
 */
public final class RequestReadDeadline implements Http1ConnectionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestReadDeadline.class);

    private final Duration timeout;
    private final ScheduledExecutorService timer;
    // why: the listener and the routing of one HTTP/1 connection run on the connection's own thread
    private final Map<Thread, Pending> pending = new ConcurrentHashMap<>();

    public RequestReadDeadline(Duration timeout) {
        this.timeout = timeout;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "api-request-read-deadline");
            t.setDaemon(true);
            return t;
        });
        // why: most deadlines are cancelled within milliseconds; drop them at once rather than at their time
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    /** One request being read: its thread, and whether the deadline passed first. */
    final class Pending {
        private final Thread thread;
        private ScheduledFuture<?> alarm;
        private boolean done;
        private boolean fired;

        Pending(Thread thread) {
            this.thread = thread;
        }

        /** Interrupts the thread unless the request was read; true when it did. */
        synchronized boolean fire() {
            pending.remove(thread, this);
            if (done) {
                return false;
            }
            fired = true;
            done = true;
            thread.interrupt();
            return true;
        }

        /** Marks the request read; throws 408 when the deadline passed first. */
        synchronized void complete() {
            boolean late = fired;
            cancel();
            if (late) {
                // why: a fired deadline interrupted this thread; clear it so nothing after this fails on it
                Thread.interrupted();
                throw ApiException.requestTimeout("the request was not received within the read timeout");
            }
        }

        synchronized void cancel() {
            done = true;
            pending.remove(thread, this);
            if (alarm != null) {
                alarm.cancel(false);
            }
        }
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        Pending next = new Pending(Thread.currentThread());
        Pending previous = pending.put(next.thread, next);
        if (previous != null) {
            previous.cancel();
        }
        synchronized (next) {
            next.alarm = timer.schedule(() -> {
                if (next.fire()) {
                    LOG.debug("request from {} not received within {} s: connection closed", ctx.remotePeer().host(),
                            timeout.toSeconds());
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The routing filter: hands the request its deadline; a request without a body is read already. */
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Pending mine = pending.get(Thread.currentThread());
        if (mine != null) {
            if (req.content().hasEntity()) {
                req.context().register(mine);
            } else {
                mine.complete();
            }
        }
        chain.proceed();
    }

    /**
     * The handler has read {@code req}'s whole body: the deadline no longer applies (a long reply, such as
     * {@code async_mode=false}, is not cut). A request served without a real server (tests) has no deadline.
     *
     * @throws ApiException 408 when the deadline passed before the body was read
     */
    public static void bodyRead(ServerRequest req) {
        req.context().get(Pending.class).ifPresent(Pending::complete);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
