package dev.avatarfleet.api.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.TestImages;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.store.TaskQuery;
import dev.avatarfleet.common.task.BillingKey;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.TaskRecord;
import dev.avatarfleet.common.task.TaskStatus;
import dev.avatarfleet.testkit.MultipartBody;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API nodes against a real Kafka broker and a real redis-server (ops/testkit): launches by
 * the plugin's exact requests and by the seed's curl examples, dedup, both 503s, stop from any
 * node, async_mode=false, a Kafka outage after the record, the worker proxy.
 */
class ApiFleetServerTest {
    static final byte[] JPEG = TestImages.jpeg(96, 96);

    @Test
    void pluginRequestsAreRecordedAndEnqueuedAndEveryNodeSeesThem() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            // why: k1 and k2 are two tenants; the operator's key sees both, as the listing below needs
            String operator = fleet.createKey("ops", true);
            ApiNode a = fleet.node(Map.of("API_KEYS", "k1,k2"));
            ApiNode b = fleet.node(Map.of("API_KEYS", "k1,k2"));

            // multipart, the plugin's field order, Bearer credential
            MultipartBody form = new MultipartBody()
                    .field("livekit_url", "ws://127.0.0.1:7880")
                    .field("livekit_token", TestTokens.avatar("room-1", "bithuman-avatar-agent"))
                    .field("room_name", "room-1")
                    .file("avatar_image", "avatar.jpg", "image/jpeg", JPEG);
            HttpResponse<String> r1 = fleet.send(a, HttpRequest.newBuilder(FleetFixture.uri(a, "/launch"))
                    .header("Content-Type", form.contentType()).header("Authorization", "Bearer k1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build());
            assertEquals(200, r1.statusCode(), r1.body());
            JsonNode reply = JsonReply.MAPPER.readTree(r1.body());
            assertEquals("pending", reply.get("status").asText());
            assertEquals("room-1", reply.get("room_name").asText());
            String id1 = reply.get("task_id").asText();

            // JSON, the plugin's default, api-secret header, base64 image
            String json = "{\"livekit_url\":\"wss://lk.example\",\"livekit_token\":\"" + TestTokens.avatar("room-2", "bithuman-avatar-agent")
                    + "\",\"room_name\":\"room-2\",\"mode\":\"gpu\",\"image\":\"" + Base64.getEncoder().encodeToString(JPEG)
                    + "\",\"agent_id\":\"A91XMB7113\"}";
            HttpResponse<String> r2 = fleet.send(b, HttpRequest.newBuilder(FleetFixture.uri(b, "/launch"))
                    .header("Content-Type", "application/json").header("api-secret", "k2")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build());
            assertEquals(200, r2.statusCode(), r2.body());
            String id2 = JsonReply.MAPPER.readTree(r2.body()).get("task_id").asText();

            // the record: pending, its Kafka position kept, the launch record readable there, the image stored once
            TaskRecord t1 = fleet.controlPlane.store().get(id1).orElseThrow();
            assertEquals(TaskStatus.PENDING, t1.status());
            assertEquals("bithuman-avatar-agent", t1.identity());
            assertNotNull(t1.kafkaPartition());
            assertNotNull(t1.kafkaOffset());
            LaunchSpec spec = fleet.controlPlane.taskLog().readAt(t1.kafkaPartition(), t1.kafkaOffset()).orElseThrow();
            assertEquals(id1, spec.taskId());
            assertEquals("room-1", spec.roomName());
            assertEquals("ws://127.0.0.1:7880", spec.livekitUrl());
            assertEquals(t1.imageHash(), spec.imageHash());
            assertArrayEquals(JPEG, fleet.controlPlane.images().get(t1.imageHash()).orElseThrow());
            assertEquals(t1.imageHash(), fleet.controlPlane.store().get(id2).orElseThrow().imageHash(), "same bytes, same hash");
            assertEquals("A91XMB7113", fleet.controlPlane.store().get(id2).orElseThrow().avatarId());
            // the seed's billing secret: the launch's own (here the plugin's api-secret header), only as a fingerprint
            byte[] salt = fleet.controlPlane.secrets().getOrCreate("fingerprint-salt", 32);
            assertEquals(BillingKey.fingerprint(salt, "k2", null), fleet.controlPlane.store().get(id2).orElseThrow().billingKeyId());
            assertEquals(BillingKey.fingerprint(salt, "k1", null), t1.billingKeyId());

            // both nodes answer the same
            for (String path : List.of("/tasks", "/tasks/" + id1, "/tasks?room_name=room-2", "/health")) {
                HttpResponse<String> onA = fleet.get(a, path, operator);
                HttpResponse<String> onB = fleet.get(b, path, operator);
                assertEquals(200, onA.statusCode(), onA.body());
                assertEquals(onA.body(), onB.body(), path);
            }
            JsonNode list = JsonReply.MAPPER.readTree(fleet.get(a, "/tasks", operator).body());
            assertEquals(2, list.get("tasks").size());
            assertEquals(id2, list.get("tasks").get(0).get("task_id").asText(), "newest first");
            // each API_KEYS key is a tenant of its own: it sees its own task only
            JsonNode ofK1 = JsonReply.MAPPER.readTree(fleet.get(b, "/tasks", "k1").body());
            assertEquals(1, ofK1.get("total").asInt(), ofK1.toString());
            assertEquals(id1, ofK1.get("tasks").get(0).get("task_id").asText());
            JsonNode one = JsonReply.MAPPER.readTree(fleet.get(a, "/tasks/" + id1, operator).body());
            for (String field : List.of("task_id", "room_name", "status", "created_at", "completed_at", "error")) {
                assertTrue(one.has(field), field);
            }
            assertTrue(one.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"), one.toString());
            JsonNode paged = JsonReply.MAPPER.readTree(fleet.get(a, "/tasks?limit=1", operator).body());
            assertEquals(1, paged.get("tasks").size());
            assertEquals(1, paged.get("next_offset").asInt());
            assertEquals(404, fleet.get(b, "/tasks/nope", operator).statusCode());
            assertEquals(400, fleet.get(b, "/tasks?status=sleeping", operator).statusCode());
            JsonNode health = JsonReply.MAPPER.readTree(fleet.get(a, "/health").body());
            assertEquals("healthy", health.get("status").asText());
            assertEquals(2, health.get("active_sessions").asInt());
            assertEquals(4, health.get("max_sessions").asInt());

            // no image: the worker's default avatar, so no hash travels and nothing is stored
            String noImage = "{\"livekit_url\":\"wss://lk.example\",\"livekit_token\":\"" + TestTokens.avatar("room-3", "bithuman-avatar-agent")
                    + "\",\"room_name\":\"room-3\",\"mode\":\"cpu\"}";
            HttpResponse<String> r3 = fleet.send(b, HttpRequest.newBuilder(FleetFixture.uri(b, "/launch"))
                    .header("Content-Type", "application/json").header("api-secret", "k2")
                    .POST(HttpRequest.BodyPublishers.ofString(noImage)).build());
            assertEquals(200, r3.statusCode(), r3.body());
            TaskRecord t3 = fleet.controlPlane.store().get(JsonReply.MAPPER.readTree(r3.body()).get("task_id").asText()).orElseThrow();
            assertNull(t3.imageHash());
            assertNull(fleet.controlPlane.taskLog().readAt(t3.kafkaPartition(), t3.kafkaOffset()).orElseThrow().imageHash());
        }
    }

    @Test
    void aLaunchWithoutItsOwnSecretIsAccountedToBithumanApiSecret() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode node = fleet.node(Map.of("BITHUMAN_API_SECRET", "fleet-secret"));
            String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\""
                    + TestTokens.avatar("room-b", "bithuman-avatar-agent") + "\",\"room_name\":\"room-b\"}";
            HttpResponse<String> r = fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, "/launch"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
            assertEquals(200, r.statusCode(), r.body());
            TaskRecord t = fleet.controlPlane.store().get(JsonReply.MAPPER.readTree(r.body()).get("task_id").asText()).orElseThrow();
            assertEquals(BillingKey.fingerprint(fleet.controlPlane.secrets().getOrCreate("fingerprint-salt", 32), null, "fleet-secret"),
                    t.billingKeyId());
            JsonNode shown = JsonReply.MAPPER.readTree(fleet.get(node, "/tasks/" + t.taskId()).body());
            assertEquals(t.billingKeyId(), shown.get("billing_key_id").asText());
            assertFalse(fleet.get(node, "/tasks/" + t.taskId()).body().contains("fleet-secret"), "never the secret itself");
        }
    }

    @Test
    void aRepeatedLaunchForTheSameRoomAndIdentityReturnsTheActiveTask() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode a = fleet.node();
            ApiNode b = fleet.node();
            String token = TestTokens.avatar("room-d", "bithuman-avatar-agent");
            List<String> ids = new ArrayList<>();
            for (ApiNode node : List.of(a, b, a)) {
                HttpResponse<String> r = launchJson(fleet, node, "room-d", token);
                assertEquals(200, r.statusCode(), r.body());
                ids.add(JsonReply.MAPPER.readTree(r.body()).get("task_id").asText());
            }
            assertEquals(1, ids.stream().distinct().count(), ids.toString());
            assertEquals(1, fleet.controlPlane.store().list(TaskQuery.all()).total());
            // another identity in the same room is another avatar
            HttpResponse<String> other = launchJson(fleet, a, "room-d", TestTokens.avatar("room-d", "second-avatar"));
            assertFalse(ids.contains(JsonReply.MAPPER.readTree(other.body()).get("task_id").asText()));
            // once the first ended, the same room and identity start anew
            fleet.controlPlane.store().requestStop(ids.getFirst(), "test");
            String again = JsonReply.MAPPER.readTree(launchJson(fleet, b, "room-d", token).body()).get("task_id").asText();
            assertFalse(ids.contains(again));
        }
    }

    @Test
    void noReadyWorkerIsNotReadyAndAFullFleetIsAtCapacityAndNothingIsStored() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            ApiNode a = fleet.node();
            HttpResponse<String> notReady = launchJson(fleet, a, "r0", TestTokens.avatar("r0", "x"));
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertEquals("not_ready", JsonReply.MAPPER.readTree(notReady.body()).get("status").asText());
            HttpResponse<String> ready = fleet.get(a, "/ready");
            assertEquals(503, ready.statusCode());
            assertEquals("not_ready", JsonReply.MAPPER.readTree(ready.body()).get("status").asText());
            assertEquals(0, fleet.controlPlane.store().list(TaskQuery.all()).total());

            fleet.readyWorker("worker-1", 2, "http://127.0.0.1:1");
            JsonNode readyBody = JsonReply.MAPPER.readTree(fleet.get(a, "/ready").body());
            assertEquals("ready", readyBody.get("status").asText());
            assertTrue(readyBody.get("model_ready").asBoolean());
            assertEquals(2, readyBody.get("available_sessions").asInt());
            assertEquals(200, launchJson(fleet, a, "r1", TestTokens.avatar("r1", "x")).statusCode());
            assertEquals(200, launchJson(fleet, a, "r2", TestTokens.avatar("r2", "x")).statusCode());
            HttpResponse<String> full = launchJson(fleet, a, "r3", TestTokens.avatar("r3", "x"));
            assertEquals(503, full.statusCode(), full.body());
            JsonNode body = JsonReply.MAPPER.readTree(full.body());
            assertEquals("at_capacity", body.get("status").asText());
            assertTrue(body.get("reason").asText().contains("2 of 2"), body.toString());
            assertEquals(2, fleet.controlPlane.store().list(TaskQuery.all()).total());
            HttpResponse<String> readyFull = fleet.get(a, "/ready");
            assertEquals(503, readyFull.statusCode());
            assertEquals("at_capacity", JsonReply.MAPPER.readTree(readyFull.body()).get("status").asText());
        }
    }

    @Test
    void thirtyConcurrentLaunchesOnTwoNodesAdmitExactlyTheFleetsEightSlots() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            fleet.readyWorker("worker-2", 4, "http://127.0.0.1:2");
            List<ApiNode> nodes = List.of(fleet.node(), fleet.node());
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 30; i++) {
                    ApiNode node = nodes.get(i % 2);
                    String room = "c" + i;
                    replies.add(CompletableFuture.supplyAsync(() -> launchJson(fleet, node, room, TestTokens.avatar(room, "x")), pool));
                }
                int ok = 0;
                int full = 0;
                for (var reply : replies) {
                    HttpResponse<String> r = reply.get(60, TimeUnit.SECONDS);
                    if (r.statusCode() == 200) {
                        ok++;
                    } else {
                        assertEquals(503, r.statusCode(), r.body());
                        assertEquals("at_capacity", JsonReply.MAPPER.readTree(r.body()).get("status").asText());
                        full++;
                    }
                }
                assertEquals(8, ok);
                assertEquals(22, full);
                assertEquals(8, fleet.controlPlane.store().list(TaskQuery.all()).total(), "refused launches store nothing");
            }
        }
    }

    @Test
    void stopFromAnyNodeCancelsAPendingTaskAndSignalsARunningOne() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode a = fleet.node();
            ApiNode b = fleet.node();
            String pending = JsonReply.MAPPER.readTree(launchJson(fleet, a, "s1", TestTokens.avatar("s1", "x")).body()).get("task_id").asText();
            HttpResponse<String> stop = fleet.post(b, "/tasks/" + pending + "/stop");
            assertEquals(200, stop.statusCode(), stop.body());
            assertEquals("cancelled", JsonReply.MAPPER.readTree(stop.body()).get("status").asText());
            assertEquals("cancelled", JsonReply.MAPPER.readTree(fleet.get(a, "/tasks/" + pending).body()).get("status").asText());
            fleet.controlPlane.store().claim(pending, "worker-1", 1);
            assertEquals(TaskStatus.CANCELLED, fleet.controlPlane.store().get(pending).orElseThrow().status(), "a cancelled task never starts");

            String running = JsonReply.MAPPER.readTree(launchJson(fleet, a, "s2", TestTokens.avatar("s2", "x")).body()).get("task_id").asText();
            fleet.controlPlane.store().claim(running, "worker-1", 1);
            fleet.controlPlane.store().markRunning(running, dev.avatarfleet.common.store.Claim.of("worker-1", 1));
            HttpResponse<String> signal = fleet.post(a, "/tasks/" + running + "/stop");
            JsonNode body = JsonReply.MAPPER.readTree(signal.body());
            assertEquals("stopping", body.get("status").asText(), body.toString());
            assertEquals("worker-1", body.get("worker_id").asText());
            assertTrue(fleet.controlPlane.store().get(running).orElseThrow().stopRequested());
            assertEquals(404, fleet.post(b, "/tasks/unknown-task/stop").statusCode());
            assertEquals(405, fleet.get(b, "/tasks/" + running + "/stop").statusCode());
        }
    }

    @Test
    void asyncModeFalseHoldsTheReplyUntilTheTaskEnds() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode a = fleet.node(Map.of("LAUNCH_SYNC_TIMEOUT_SECONDS", "20"));
            MultipartBody form = new MultipartBody()
                    .field("livekit_url", "ws://127.0.0.1:7880")
                    .field("livekit_token", TestTokens.avatar("sync", "x"))
                    .field("room_name", "sync")
                    .field("async_mode", "false");
            CompletableFuture<HttpResponse<String>> reply = CompletableFuture.supplyAsync(() -> fleet.send(a,
                    HttpRequest.newBuilder(FleetFixture.uri(a, "/launch")).header("Content-Type", form.contentType())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build()));
            // act as the worker would: claim, run, complete
            String id = await().atMost(Duration.ofSeconds(10)).until(() -> {
                var tasks = fleet.controlPlane.store().list(TaskQuery.all()).tasks();
                return tasks.isEmpty() ? null : tasks.getFirst().taskId();
            }, Objects::nonNull);
            // the reply must wait for the end of the session
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !reply.isDone());
            fleet.controlPlane.store().claim(id, "worker-1", 1);
            fleet.controlPlane.store().markRunning(id, dev.avatarfleet.common.store.Claim.of("worker-1", 1));
            fleet.controlPlane.store().finish(id, TaskStatus.COMPLETED, null, "agent_left", dev.avatarfleet.common.store.Claim.of("worker-1", 1));
            HttpResponse<String> r = reply.get(10, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JsonReply.MAPPER.readTree(r.body());
            assertEquals("completed", body.get("status").asText());
            assertEquals(id, body.get("task_id").asText());
        }
    }

    @Test
    void kafkaDownAfterTheRecordMarksTheTaskFailedAndAnswers503() throws Exception {
        int closed = dev.avatarfleet.testkit.FreePorts.next();
        try (FleetFixture fleet = new FleetFixture(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed, "KAFKA_TIMEOUT_MS", "1500"))) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode a = fleet.node();
            HttpResponse<String> r = launchJson(fleet, a, "k1", TestTokens.avatar("k1", "x"));
            assertEquals(503, r.statusCode(), r.body());
            JsonNode body = JsonReply.MAPPER.readTree(r.body());
            assertEquals("unavailable", body.get("status").asText());
            assertTrue(body.get("reason").asText().contains("kafka"), body.toString());
            List<TaskRecord> tasks = fleet.controlPlane.store().list(TaskQuery.all()).tasks();
            assertEquals(1, tasks.size());
            assertEquals(TaskStatus.FAILED, tasks.getFirst().status(), "never left pending without a launch record");
            assertTrue(tasks.getFirst().error().contains("kafka"), tasks.getFirst().error());
        }
    }

    @Test
    void theSeedCurlExamplesWorkAsWritten(@TempDir Path dir) throws Exception {
        HttpServer images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        images.createContext("/avatar.jpg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, JPEG.length);
            ex.getResponseBody().write(JPEG);
            ex.close();
        });
        images.start();
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode a = fleet.node();
            String base = "http://127.0.0.1:" + a.port();
            Path avatar = dir.resolve("avatar.jpg");
            Files.write(avatar, JPEG);
            String token = TestTokens.avatar("my-room", "avatar-worker");
            JsonNode byUrl = JsonReply.MAPPER.readTree(curl("-X", "POST", base + "/launch",
                    "-F", "livekit_url=ws://127.0.0.1:7880", "-F", "livekit_token=" + token, "-F", "room_name=my-room",
                    "-F", "avatar_image_url=http://127.0.0.1:" + images.getAddress().getPort() + "/avatar.jpg"));
            assertEquals("pending", byUrl.get("status").asText(), byUrl.toString());
            assertEquals("my-room", byUrl.get("room_name").asText());
            String token2 = TestTokens.avatar("my-room-2", "avatar-worker");
            JsonNode byFile = JsonReply.MAPPER.readTree(curl("-X", "POST", base + "/launch",
                    "-F", "livekit_url=ws://127.0.0.1:7880", "-F", "livekit_token=" + token2, "-F", "room_name=my-room-2",
                    "-F", "avatar_image=@" + avatar));
            assertEquals("pending", byFile.get("status").asText(), byFile.toString());
            String hash = fleet.controlPlane.store().get(byFile.get("task_id").asText()).orElseThrow().imageHash();
            assertArrayEquals(JPEG, fleet.controlPlane.images().get(hash).orElseThrow());
            JsonNode health = JsonReply.MAPPER.readTree(curl(base + "/health"));
            assertEquals("healthy", health.get("status").asText());
            assertEquals(2, health.get("active_sessions").asInt());
            JsonNode tasks = JsonReply.MAPPER.readTree(curl(base + "/tasks"));
            assertEquals(2, tasks.get("tasks").size());
            JsonNode stop = JsonReply.MAPPER.readTree(curl("-X", "POST", base + "/tasks/" + byUrl.get("task_id").asText() + "/stop"));
            assertEquals("cancelled", stop.get("status").asText());
        } finally {
            images.stop(0);
        }
    }

    @Test
    void benchmarkAndTestFrameGoToAReadyWorker() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> lastQuery = new java.util.concurrent.atomic.AtomicReference<>();
        HttpServer worker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        worker.createContext("/benchmark", ex -> {
            byte[] b = ("{\"iterations\":" + ex.getRequestURI().getQuery().replace("iterations=", "")
                    + ",\"frames_per_generate\":1,\"avg_ms\":1.0,\"fps\":25.0,\"vram_gb\":0.0,\"gpu\":\"cpu\",\"method\":\""
                    + ex.getRequestMethod() + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        worker.createContext("/test-frame", ex -> {
            byte[] sent = ex.getRequestBody().readAllBytes();
            byte[] answer = sent.length > 0 ? sent : JPEG;
            ex.getResponseHeaders().add("Content-Type", sent.length > 0 ? ex.getRequestHeaders().getFirst("Content-Type") : "image/jpeg");
            lastQuery.set(String.valueOf(ex.getRequestURI().getRawQuery()));
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        worker.start();
        try (FleetFixture fleet = new FleetFixture()) {
            ApiNode a = fleet.node();
            HttpResponse<String> none = fleet.post(a, "/benchmark?iterations=3");
            assertEquals(503, none.statusCode(), none.body());
            assertEquals("not_ready", JsonReply.MAPPER.readTree(none.body()).get("status").asText());
            fleet.readyWorker("worker-7", 2, "http://127.0.0.1:" + worker.getAddress().getPort());
            HttpResponse<String> bench = fleet.post(a, "/benchmark?iterations=3");
            assertEquals(200, bench.statusCode(), bench.body());
            JsonNode b = JsonReply.MAPPER.readTree(bench.body());
            assertEquals(3, b.get("iterations").asInt());
            assertEquals("POST", b.get("method").asText());
            assertEquals("worker-7", bench.headers().firstValue("X-Worker-Id").orElse(""));
            HttpResponse<byte[]> frame = java.net.http.HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(FleetFixture.uri(a, "/test-frame?worker=worker-7")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, frame.statusCode());
            assertEquals("image/jpeg", frame.headers().firstValue("Content-Type").orElse(""));
            assertArrayEquals(JPEG, frame.body());
            // a POST with an image and the worker's own query parameters is passed on as sent (less ?worker)
            byte[] png = TestImages.png(32, 32);
            HttpResponse<byte[]> posted = java.net.http.HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(FleetFixture.uri(a, "/test-frame?worker=worker-7&strip=2"))
                            .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, posted.statusCode());
            assertArrayEquals(png, posted.body());
            assertEquals("image/png", posted.headers().firstValue("Content-Type").orElse(""));
            assertEquals("strip=2", lastQuery.get());
            assertEquals(503, fleet.get(a, "/test-frame?worker=worker-9").statusCode());
            // a worker that does not serve the endpoint: a JSON 502 that says so, not its plain-text 404
            fleet.readyWorker("worker-8", 2, "http://127.0.0.1:" + worker.getAddress().getPort() + "/missing");
            HttpResponse<String> notServed = fleet.get(a, "/test-frame?worker=worker-8");
            assertEquals(502, notServed.statusCode(), notServed.body());
            assertTrue(JsonReply.MAPPER.readTree(notServed.body()).get("reason").asText().contains("404"), notServed.body());
            assertEquals(400, fleet.post(a, "/benchmark?iterations=zero").statusCode());
        } finally {
            worker.stop(0);
        }
    }

    static HttpResponse<String> launchJson(FleetFixture fleet, ApiNode node, String room, String token) {
        String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + token + "\",\"room_name\":\"" + room
                + "\",\"mode\":\"gpu\"}";
        return fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, "/launch"))
                .header("Content-Type", "application/json").header("api-secret", "any")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Runs the real curl (as the seed's examples do) and returns its stdout. */
    static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "curl failed: " + err);
        return out;
    }
}
