package dev.avatarfleet.api.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.access.ApiKey;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.task.TaskStatus;
import org.junit.jupiter.api.Test;

/**
 * Tenants on real API nodes (real Redis and Kafka): a tenant's key sees, stops and replays only its own tasks,
 * another tenant's task answers exactly as a task that does not exist (404), and its {@code /tasks} totals are its
 * own; an operator's key sees every tenant's.
 */
class TenantsServerTest {

    @Test
    void aTenantSeesStopsAndReplaysOnlyItsOwnTasksAndItsTotalsAreItsOwn() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 8, "http://127.0.0.1:1");
            String operator = fleet.createKey("ops", true);
            String a = fleet.createKey("tenant-a", false);
            String b = fleet.createKey("tenant-b", false);
            ApiNode node = fleet.node();
            ApiNode other = fleet.node();
            String a1 = taskId(fleet.launch(node, a, "room-a1", "avatar"));
            String a2 = taskId(fleet.launch(other, a, "room-a2", "avatar"));
            String b1 = taskId(fleet.launch(node, b, "room-b1", "avatar"));

            // lists and totals: the tenant's own index, on every node
            for (ApiNode n : List.of(node, other)) {
                assertEquals(Set.of(a1, a2), ids(list(fleet, n, a, "/tasks")));
                assertEquals(2, list(fleet, n, a, "/tasks").get("total").asInt());
                assertEquals(Set.of(b1), ids(list(fleet, n, b, "/tasks")));
                assertEquals(1, list(fleet, n, b, "/tasks").get("total").asInt());
                assertEquals(Set.of(a1, a2, b1), ids(list(fleet, n, operator, "/tasks")));
            }
            JsonNode page = list(fleet, node, a, "/tasks?limit=1");
            assertEquals(2, page.get("total").asInt());
            assertEquals(1, page.get("next_offset").asInt());
            assertEquals(a2, page.get("tasks").get(0).get("task_id").asText(), "newest first");
            assertEquals(0, list(fleet, node, b, "/tasks?room_name=room-a1").get("total").asInt());
            assertEquals(2, list(fleet, node, a, "/tasks?status=pending").get("total").asInt());

            // another tenant's task is a 404, the same answer as a task that does not exist
            HttpResponse<String> unknown = fleet.get(node, "/tasks/ffffffff", b);
            assertEquals(404, unknown.statusCode());
            for (HttpResponse<String> r : List.of(fleet.get(node, "/tasks/" + a1, b), fleet.post(node, "/tasks/" + a1 + "/stop", b),
                    fleet.post(node, "/tasks/" + a1 + "/replay", b))) {
                assertEquals(404, r.statusCode(), r.body());
                assertEquals(unknown.body().replace("ffffffff", a1), r.body());
            }
            assertEquals(TaskStatus.PENDING, fleet.controlPlane.store().get(a1).orElseThrow().status(), "the stop did nothing");
            // why: the 404 above is the tenant guard's, not the route's: the owner's replay passes the guard (and is
            // refused only because the task is still pending)
            HttpResponse<String> ownReplay = fleet.post(node, "/tasks/" + a1 + "/replay", a);
            assertEquals(409, ownReplay.statusCode(), ownReplay.body());
            assertEquals("task_active", JsonReply.MAPPER.readTree(ownReplay.body()).path("error").asText(), ownReplay.body());

            // the owner and an operator reach it
            assertEquals(200, fleet.get(other, "/tasks/" + a1, a).statusCode());
            assertEquals(200, fleet.get(other, "/tasks/" + b1, operator).statusCode());
            HttpResponse<String> stop = fleet.post(other, "/tasks/" + a1 + "/stop", a);
            assertEquals(200, stop.statusCode(), stop.body());
            assertEquals(TaskStatus.CANCELLED, fleet.controlPlane.store().get(a1).orElseThrow().status());
            assertEquals(200, fleet.post(node, "/tasks/" + b1 + "/stop", operator).statusCode());

            // an ended task: another tenant's replay is still the 404 of a task that does not exist, and changes nothing
            HttpResponse<String> foreignReplay = fleet.post(other, "/tasks/" + a1 + "/replay", b);
            assertEquals(404, foreignReplay.statusCode(), foreignReplay.body());
            assertEquals(unknown.body().replace("ffffffff", a1), foreignReplay.body());
            assertEquals(TaskStatus.CANCELLED, fleet.controlPlane.store().get(a1).orElseThrow().status(), "the replay did nothing");
            // the owner's replay runs it again, and the new attempt is still the tenant's
            HttpResponse<String> replayed = fleet.post(other, "/tasks/" + a1 + "/replay", a);
            assertEquals(200, replayed.statusCode(), replayed.body());
            assertEquals(TaskStatus.PENDING, fleet.controlPlane.store().get(a1).orElseThrow().status());
            assertEquals("tenant-a", fleet.controlPlane.store().tenantOf(a1).orElseThrow());
            assertEquals(Set.of(a1, a2), ids(list(fleet, node, a, "/tasks?status=pending")));
            assertEquals(Set.of(), ids(list(fleet, node, b, "/tasks?status=pending")));
            assertEquals(404, fleet.get(node, "/tasks/" + a1, b).statusCode());
            assertEquals(200, fleet.get(node, "/tasks/" + a1, a).statusCode());
        }
    }

    @Test
    void aReplayedTaskCountsInItsTenantsSessionQuotaAgain() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 8, "http://127.0.0.1:1");
            String q = fleet.createKey("tenant-q", false, new ApiKey.KeyLimits(null, null, 1));
            ApiNode node = fleet.node();
            String first = taskId(fleet.launch(node, q, "room-q1", "avatar"));
            assertEquals(429, fleet.launch(node, q, "room-q2", "avatar").statusCode(), "one session is the quota");
            assertEquals(200, fleet.post(node, "/tasks/" + first + "/stop", q).statusCode());
            // why: the ended task left the tenant's count when it ended, so the next launch fits
            String second = taskId(fleet.launch(node, q, "room-q2", "avatar"));
            assertEquals(200, fleet.post(node, "/tasks/" + second + "/stop", q).statusCode());
            HttpResponse<String> replayed = fleet.post(node, "/tasks/" + first + "/replay", q);
            assertEquals(200, replayed.statusCode(), replayed.body());
            HttpResponse<String> over = fleet.launch(node, q, "room-q3", "avatar");
            assertEquals(429, over.statusCode(), over.body());
            assertEquals("quota_exceeded", JsonReply.MAPPER.readTree(over.body()).path("error").asText(), over.body());
        }
    }

    @Test
    void theSameRoomAndAvatarUnderTwoTenantsAreTwoTasksAndEachRepeatFindsItsOwn() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 8, "http://127.0.0.1:1");
            String a = fleet.createKey("tenant-a", false);
            String b = fleet.createKey("tenant-b", false);
            ApiNode node = fleet.node();
            String ofA = taskId(fleet.launch(node, a, "shared-room", "avatar"));
            String ofB = taskId(fleet.launch(node, b, "shared-room", "avatar"));
            assertNotEquals(ofA, ofB, "tenant b must not be answered with tenant a's task");
            assertEquals(ofA, taskId(fleet.launch(node, a, "shared-room", "avatar")));
            assertEquals(ofB, taskId(fleet.launch(node, b, "shared-room", "avatar")));
        }
    }

    static String taskId(HttpResponse<String> launch) throws Exception {
        assertEquals(200, launch.statusCode(), launch.body());
        return JsonReply.MAPPER.readTree(launch.body()).get("task_id").asText();
    }

    private static JsonNode list(FleetFixture fleet, ApiNode node, String key, String path) throws Exception {
        HttpResponse<String> r = fleet.get(node, path, key);
        assertEquals(200, r.statusCode(), r.body());
        return JsonReply.MAPPER.readTree(r.body());
    }

    private static Set<String> ids(JsonNode list) {
        Set<String> ids = new HashSet<>();
        list.get("tasks").forEach(t -> ids.add(t.get("task_id").asText()));
        return ids;
    }
}
