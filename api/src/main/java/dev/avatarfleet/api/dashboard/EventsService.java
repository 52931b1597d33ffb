package dev.avatarfleet.api.dashboard;

import dev.avatarfleet.api.http.MethodGuard;
import dev.avatarfleet.api.tasks.TaskService;
import dev.avatarfleet.common.fault.DependencyUnavailableException;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.http.JsonReply;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /events}: the dashboard's live view as server-sent events. Every {@link #PERIOD} the node reads the
 * fleet ({@link FleetView}) and the page of tasks the query asks for (the query of {@code GET /tasks}) and sends
 * each as an event ({@code fleet}, {@code tasks}) when it changed; {@code error} when Redis is down; a comment line
 * ({@code :}) in a period with nothing else to send. A stream ends after {@link #MAX_STREAM} (the browser reconnects),
 * or within about two periods of its client going away; at most {@link #MAX_STREAMS} at once per node, 429 beyond.
 * <pre>
 * curl -N "http://localhost:8089/events?status=running&amp;limit=20"
 * event:fleet
 * data:{"workers":[...],"totals":{...}}
 *
 * event:tasks
 * data:{"tasks":[...],"total":3,...}
 * </pre>
 */
public final class EventsService implements HttpService {

    static final Duration PERIOD = Duration.ofSeconds(1);
    static final Duration MAX_STREAM = Duration.ofMinutes(10);
    static final int MAX_STREAMS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(EventsService.class);

    private final Supplier<Map<String, Object>> fleet;
    private final TaskService tasks;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);

    public EventsService(Supplier<Map<String, Object>> fleet, TaskService tasks) {
        this.fleet = fleet;
        this.tasks = tasks;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/events", this::stream);
        MethodGuard.only(rules, "/events", "GET");
    }

    private void stream(ServerRequest req, ServerResponse res) {
        Parameters query = req.query();
        // why: a bad filter is a 400 before the stream starts, as on GET /tasks
        tasks.listing(query, null);
        if (!streams.tryAcquire()) {
            throw ApiException.busy("too many event streams on this node (" + MAX_STREAMS + "); retry later");
        }
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            long end = System.nanoTime() + MAX_STREAM.toNanos();
            String lastFleet = null;
            String lastTasks = null;
            String lastError = null;
            while (System.nanoTime() < end) {
                try {
                    String f = JsonReply.MAPPER.writeValueAsString(fleet.get());
                    String t = JsonReply.MAPPER.writeValueAsString(tasks.listing(query, null));
                    boolean sent = false;
                    if (!f.equals(lastFleet)) {
                        sink.emit(SseEvent.builder().name("fleet").data(f).build());
                        lastFleet = f;
                        sent = true;
                    }
                    if (!t.equals(lastTasks)) {
                        sink.emit(SseEvent.builder().name("tasks").data(t).build());
                        lastTasks = t;
                        sent = true;
                    }
                    lastError = null;
                    if (!sent) {
                        keepAlive(sink);
                    }
                } catch (DependencyUnavailableException e) {
                    String error = JsonReply.MAPPER.writeValueAsString(Map.of("error", "unavailable",
                            "reason", e.dependency() + " unavailable"));
                    if (!error.equals(lastError)) {
                        sink.emit(SseEvent.builder().name("error").data(error).build());
                        lastError = error;
                    } else {
                        keepAlive(sink);
                    }
                }
                Thread.sleep(PERIOD);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // why: the browser closed the stream (a tab closed, a reload): nothing to answer
            LOG.debug("event stream closed: {}", e.toString());
        } catch (InterruptedException e) {
            // why: the node is stopping; the stream's bytes are already out, so there is no error to answer with
            Thread.currentThread().interrupt();
        } finally {
            streams.release();
        }
    }

    /**
     * A comment line ({@code :}), which every SSE reader skips (the dashboard's reader in common.js: a block without data).
     * why: only a write finds out that the client went away (a closed tab, a reload); a quiet fleet sends no event,
     * so without it a gone client's stream held its slot for up to {@link #MAX_STREAM}, and a stopping node waited
     * its whole shutdown grace for it; it also keeps an idle proxy (nginx's read timeout) from cutting the stream
     */
    private static void keepAlive(SseSink sink) {
        sink.emit(SseEvent.builder().comment("").build());
    }
}
