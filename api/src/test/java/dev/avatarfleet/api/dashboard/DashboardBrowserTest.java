package dev.avatarfleet.api.dashboard;

import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.NodeScript;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard ({@code GET /}) in headless Debian Chromium (playwright-core, ops/sdk-tests/dashboard.mjs) against a
 * real API node on the real broker and redis-server: the fleet and the tasks render; a worker and a task added
 * after the page loaded appear without a reload (server-sent events); the room filter narrows the list; the stop
 * button cancels the task, in the store as on the page, and the replay button then runs it again (pending in the store). The page's screenshot is left at
 * api/target/dashboard.png (docs/dashboard.png is one of them).
 */
class DashboardBrowserTest {

    @Test
    void theDashboardShowsTheFleetLiveStopsATaskAndReplaysIt() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode node = fleet.node();
            String first = launch(fleet, node, "room-first");
            Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
            Files.deleteIfExists(screenshot);
            Map<String, String> env = Map.of(
                    "DASHBOARD_URL", FleetFixture.uri(node, "/").toString(),
                    "FIRST_TASK", first,
                    "WORKER", "worker-1",
                    "NEW_WORKER", "worker-2",
                    "NEW_ROOM", "room-live",
                    "SCREENSHOT", screenshot.toString());
            try (NodeScript page = NodeScript.start(NodeScript.sdkTestsDirectory(), "dashboard.mjs", List.of(), env)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> page.stdout().contains("page-loaded") || !isAlive(page));
                assertTrue(page.stdout().contains("page-loaded"), "the page did not load: " + page.stderr());
                // why: changed only now, so the page can show them only through its event stream
                fleet.readyWorker("worker-2", 2, "http://127.0.0.1:1");
                String live = launch(fleet, node, "room-live");

                NodeScript.Result result = page.await(Duration.ofSeconds(90));
                assertEquals(0, result.exitCode(), result.describe());
                Matcher stopped = Pattern.compile("stopped (\\S+)").matcher(result.stdout());
                assertTrue(stopped.find(), result.describe());
                assertEquals(live, stopped.group(1), "the page stopped the task launched after it loaded");
                Matcher replayed = Pattern.compile("replayed (\\S+)").matcher(result.stdout());
                assertTrue(replayed.find(), result.describe());
                assertEquals(live, replayed.group(1), "the page replayed the task it stopped");
                // why: stopped (cancelled) before any worker claimed it, then replayed by the button: pending again
                TaskRecord again = fleet.controlPlane.store().get(live).orElseThrow();
                assertEquals(TaskStatus.PENDING, again.status(), "the replayed task is pending in the store");
                assertEquals(0, again.attempts(), "no worker claimed it yet");
                assertEquals(TaskStatus.PENDING, fleet.controlPlane.store().get(first).orElseThrow().status());
                assertTrue(Files.size(screenshot) > 10_000, "screenshot written");
            }
        }
    }

    private static boolean isAlive(NodeScript script) {
        return ProcessHandle.of(script.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String launch(FleetFixture fleet, ApiNode node, String room) throws Exception {
        String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + TestTokens.avatar(room, "avatar-" + room)
                + "\",\"room_name\":\"" + room + "\"}";
        HttpResponse<String> r = fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, "/launch"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
        assertEquals(200, r.statusCode(), r.body());
        return JsonReply.MAPPER.readTree(r.body()).path("task_id").asText();
    }
}
