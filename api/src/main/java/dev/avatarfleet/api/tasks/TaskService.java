package dev.avatarfleet.api.tasks;

import dev.avatarfleet.api.access.AccessFilter;
import dev.avatarfleet.api.access.Caller;
import dev.avatarfleet.api.http.MethodGuard;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.StopResult;
import dev.avatarfleet.common.store.TaskPage;
import dev.avatarfleet.common.store.TaskQuery;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fleet's tasks, answered the same by every API node from the shared store. A tenant's key sees its own tasks
 * only ({@link AccessFilter} answers 404 for another's task before the routes here run); an operator's, all.
 *
 * <pre>
 * curl "http://localhost:8089/tasks?status=running&amp;room_name=my-room&amp;limit=20&amp;offset=0"
 * curl http://localhost:8089/tasks/TASK_ID
 * curl -X POST http://localhost:8089/tasks/TASK_ID/stop
 * curl -X POST http://localhost:8089/tasks/TASK_ID/replay
 * </pre>
 */
public final class TaskService implements HttpService {
    /** Tasks per page when {@code limit} is not given: every task the store keeps. */
    public static final int DEFAULT_LIMIT = TaskQuery.MAX_LIMIT;
    // why: ids are ours; anything else cannot name a task, and must not reach Redis as a key
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern FILTER = Pattern.compile("[^\\p{Cntrl}]{1,256}");

    private final RedisTaskStore store;
    private final TaskReplayer replayer;
    private final Runnable replayed;

    public TaskService(RedisTaskStore store, TaskReplayer replayer) {
        this(store, replayer, () -> { });
    }

    /** @param replayed told of every task replayed by hand (the node's metrics count it) */
    public TaskService(RedisTaskStore store, TaskReplayer replayer, Runnable replayed) {
        this.store = store;
        this.replayer = replayer;
        this.replayed = replayed;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/tasks", this::list);
        MethodGuard.only(rules, "/tasks", "GET");
        rules.get("/tasks/{id}", this::get);
        MethodGuard.only(rules, "/tasks/{id}", "GET");
        rules.post("/tasks/{id}/stop", this::stop);
        MethodGuard.only(rules, "/tasks/{id}/stop", "POST");
        rules.post("/tasks/{id}/replay", this::replay);
        MethodGuard.only(rules, "/tasks/{id}/replay", "POST");
    }

    private void list(ServerRequest req, ServerResponse res) {
        // why: a tenant's list is read from its own index, so its totals and pages are its own; the filter put the caller here
        Caller caller = req.context().get(Caller.class).orElseThrow(() ->
                new IllegalStateException("GET /tasks reached without a caller: the access filter is not installed"));
        JsonReply.send(res, Status.OK_200, listing(req.query(), caller.listedTenant()));
    }

    /**
     * The page of tasks that {@code GET /tasks} answers for this query ({@code status}, {@code room_name},
     * {@code worker_id}, {@code limit}, {@code offset}); also what the dashboard's event stream sends (an operator's
     * view: every tenant).
     *
     * @param tenant the tenant whose tasks are listed, or null for every task
     */
    public Map<String, Object> listing(Parameters q, String tenant) {
        TaskStatus status = q.first("status").map(s -> TaskStatus.fromWire(s.trim()).orElseThrow(() ->
                ApiException.badRequest("status must be one of pending, running, completed, failed, cancelled"))).orElse(null);
        String room = filter(q.first("room_name").asOptional(), "room_name");
        String worker = filter(q.first("worker_id").asOptional(), "worker_id");
        int limit = number(q.first("limit").asOptional(), "limit", DEFAULT_LIMIT, 1, TaskQuery.MAX_LIMIT);
        int offset = number(q.first("offset").asOptional(), "offset", 0, 0, Integer.MAX_VALUE);
        TaskPage page = store.list(new TaskQuery(status, room, worker, offset, limit), tenant);
        int next = page.offset() + page.tasks().size();
        return JsonReply.object(
                "tasks", page.tasks(),
                "total", page.total(),
                "offset", page.offset(),
                "limit", page.limit(),
                "next_offset", next < page.total() ? next : null);
    }

    private void get(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        JsonReply.send(res, Status.OK_200, find(id));
    }

    private void stop(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (!TASK_ID.matcher(id).matches()) {
            throw unknown(id);
        }
        StopResult result = store.requestStop(id, "stopped through the API");
        Map<String, Object> body = switch (result) {
            case StopResult.NotFound nf -> throw unknown(id);
            case StopResult.Cancelled c -> JsonReply.object("status", "cancelled", "task_id", id,
                    "message", "the pending task was cancelled and will not start");
            case StopResult.Signalled s -> JsonReply.object("status", "stopping", "task_id", id, "worker_id", s.workerId(),
                    "message", "worker " + s.workerId() + " was told to stop the session");
            case StopResult.AlreadyEnded e -> JsonReply.object("status", e.task().status().wire(), "task_id", id,
                    "message", "the task had already ended");
        };
        JsonReply.send(res, Status.OK_200, body);
    }

    private void replay(ServerRequest req, ServerResponse res) {
        TaskReplayer.Replayed r = replayer.replay(find(req.path().pathParameters().get("id")));
        replayed.run();
        JsonReply.send(res, Status.OK_200, JsonReply.object("status", "pending", "task_id", r.task().taskId(),
                "room_name", r.task().roomName(), "attempt", r.attempt(),
                "message", r.enqueued() ? "replayed from its launch record as attempt " + r.attempt()
                        : "replayed as attempt " + r.attempt() + "; its launch record is enqueued as soon as Kafka answers"));
    }

    /** The task with this id, or a 404. */
    public TaskRecord find(String id) {
        if (id == null || !TASK_ID.matcher(id).matches()) {
            throw unknown(id);
        }
        return store.get(id).orElseThrow(() -> unknown(id));
    }

    private static ApiException unknown(String id) {
        return AccessFilter.noSuchTask(id);
    }

    private static String filter(Optional<String> value, String name) {
        if (value.isEmpty() || value.get().isEmpty()) {
            return null;
        }
        if (!FILTER.matcher(value.get()).matches()) {
            throw ApiException.badRequest(name + " must be 1 to 256 characters with no control characters");
        }
        return value.get();
    }

    private static int number(Optional<String> value, String name, int fallback, int min, int max) {
        if (value.isEmpty() || value.get().isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get().trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number from " + min + " to " + max);
        }
    }
}
