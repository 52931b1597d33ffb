package dev.avatarfleet.api.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.store.Claim;
import dev.avatarfleet.common.store.ClaimOutcome;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code POST /tasks/{id}/replay} against a real broker and redis-server: an ended task runs again from its Kafka record. */
class ReplayServerTest {

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JsonReply.MAPPER.readTree(r.body());
    }

    @Test
    void aFailedTaskIsReplayedFromItsKafkaRecordAsItsNextAttemptKeepingItsId() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode api = fleet.node();
            HttpResponse<String> launched = ApiFleetServerTest.launchJson(fleet, api, "room-r", TestTokens.avatar("room-r", "avatar"));
            assertEquals(200, launched.statusCode(), launched.body());
            String id = json(launched).get("task_id").asText();

            HttpResponse<String> active = fleet.post(api, "/tasks/" + id + "/replay");
            assertEquals(409, active.statusCode(), active.body());
            assertEquals("task_active", json(active).get("error").asText());

            // a worker ran it and it failed
            assertEquals(ClaimOutcome.CLAIMED, fleet.controlPlane.store().claim(id, "worker-1", 1));
            fleet.controlPlane.store().finish(id, TaskStatus.FAILED, "livekit: 401", "failed", Claim.of("worker-1", 1));

            HttpResponse<String> replayed = fleet.post(api, "/tasks/" + id + "/replay");
            assertEquals(200, replayed.statusCode(), replayed.body());
            JsonNode body = json(replayed);
            assertEquals("pending", body.get("status").asText());
            assertEquals(id, body.get("task_id").asText());
            assertEquals(2, body.get("attempt").asInt());
            TaskRecord task = fleet.controlPlane.store().get(id).orElseThrow();
            assertEquals(TaskStatus.PENDING, task.status());
            assertEquals(null, task.error());
            LaunchSpec record = fleet.controlPlane.taskLog().readAt(task.kafkaPartition(), task.kafkaOffset()).orElseThrow();
            assertEquals(id, record.taskId());
            assertEquals(2, record.attempt());
            assertEquals("room-r", record.roomName());
            // the room is its again: a repeated launch is answered with it
            assertEquals(id, json(ApiFleetServerTest.launchJson(fleet, api, "room-r", TestTokens.avatar("room-r", "avatar")))
                    .get("task_id").asText());

            assertEquals(404, fleet.post(api, "/tasks/ffffffff/replay").statusCode());
            assertEquals(405, fleet.get(api, "/tasks/" + id + "/replay").statusCode());
        }
    }

    @Test
    void aTaskWhoseRecordAgedOutOrWhoseRoomIsTakenIsNotReplayed() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode api = fleet.node();
            String gone = json(ApiFleetServerTest.launchJson(fleet, api, "room-g", TestTokens.avatar("room-g", "avatar")))
                    .get("task_id").asText();
            fleet.controlPlane.store().requestStop(gone, "stopped");
            // its record is past the end of the topic, as one the retention deleted would be before the start
            fleet.controlPlane.store().recordLogPosition(gone, 0, 1_000_000);
            HttpResponse<String> r = fleet.post(api, "/tasks/" + gone + "/replay");
            assertEquals(410, r.statusCode(), r.body());
            assertEquals("record_gone", json(r).get("error").asText());

            String first = json(ApiFleetServerTest.launchJson(fleet, api, "room-b", TestTokens.avatar("room-b", "avatar")))
                    .get("task_id").asText();
            fleet.controlPlane.store().requestStop(first, "stopped");
            String second = json(ApiFleetServerTest.launchJson(fleet, api, "room-b", TestTokens.avatar("room-b", "avatar")))
                    .get("task_id").asText();
            HttpResponse<String> busy = fleet.post(api, "/tasks/" + first + "/replay");
            assertEquals(409, busy.statusCode(), busy.body());
            assertEquals("room_busy", json(busy).get("error").asText());
            assertTrue(busy.body().contains(second), busy.body());
        }
    }
}
