package dev.avatarfleet.api.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.avatarfleet.api.ApiNode;
import dev.avatarfleet.api.FleetFixture;
import dev.avatarfleet.api.TestTokens;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.testkit.MultipartBody;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document ({@code GET /openapi}, api/src/main/resources/openapi.yaml) both ways against a real API
 * node on the real broker and redis-server: every route the node's services register is documented, every
 * documented route is answered by the server (never its "no route" 404), every example validates against its
 * schema (networknt json-schema-validator, draft 2020-12, as OpenAPI 3.1 uses), every request example is
 * answered with a documented status whose schema the answer validates against, and so is a plain call of every
 * operation.
 */
class OpenApiRoundTripTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> OPERATIONS = Set.of("get", "post", "put", "delete", "patch");
    /** Routes Helidon features serve beside the routing (the health observer). */
    private static final Set<String> FEATURE_ROUTES = Set.of("GET /observe/health");

    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @Test
    void theDocumentAndTheServerAgreeBothWays() throws Exception {
        try (FleetFixture fleet = new FleetFixture()) {
            fleet.readyWorker("worker-1", 4, "http://127.0.0.1:1");
            ApiNode node = fleet.node();
            HttpResponse<String> served = fleet.get(node, "/openapi");
            assertEquals(200, served.statusCode());
            JsonNode doc = YAML.readTree(served.body());
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.yaml")) {
                assertEquals(YAML.readTree(in), doc, "/openapi serves the document of the jar");
            }
            assertEquals("3.1.0", doc.path("openapi").asText());

            // routing -> document
            Set<String> routed = RouteRecorder.routes(node.services());
            Set<String> documented = documentedRoutes(doc);
            Set<String> undocumented = new TreeSet<>(routed);
            undocumented.removeAll(documented);
            assertTrue(undocumented.isEmpty(), "served but not documented: " + undocumented);
            // document -> routing
            Set<String> unrouted = new TreeSet<>(documented);
            unrouted.removeAll(routed);
            unrouted.removeAll(FEATURE_ROUTES);
            assertTrue(unrouted.isEmpty(), "documented but not routed: " + unrouted);

            // examples -> schemas
            List<String> checked = new ArrayList<>();
            walkExamples(doc, doc, "", checked);
            assertTrue(checked.size() >= 15, "examples checked: " + checked);

            // a real task for the paths that name one
            String taskId = launchForTheTest(fleet, node);

            // every documented operation, called on the server: a documented status, a body its schema accepts
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    if (!OPERATIONS.contains(op.getKey())) {
                        continue;
                    }
                    String url = path.getKey().replace("{task_id}", taskId).replace("{file}", "app.js");
                    String method = op.getKey().toUpperCase();
                    if (url.equals("/events")) {
                        assertStreamAnswers(fleet, node, url);
                        continue;
                    }
                    if (url.equals("/tasks/" + taskId + "/stop") || url.equals("/launch")) {
                        continue; // why: called below with their examples (a stop here would end the task the others read)
                    }
                    HttpResponse<String> r = fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, url))
                            .method(method, HttpRequest.BodyPublishers.noBody()).build());
                    assertAnsweredAsDocumented(doc, op.getValue(), method + " " + url, r);
                }
            }

            // every request example, sent: answered with a documented status and schema
            JsonNode launch = doc.path("paths").path("/launch").path("post");
            for (Iterator<Map.Entry<String, JsonNode>> types = launch.path("requestBody").path("content").fields(); types.hasNext(); ) {
                Map.Entry<String, JsonNode> type = types.next();
                for (Iterator<Map.Entry<String, JsonNode>> ex = type.getValue().path("examples").fields(); ex.hasNext(); ) {
                    Map.Entry<String, JsonNode> example = ex.next();
                    HttpRequest.Builder request = HttpRequest.newBuilder(FleetFixture.uri(node, "/launch"));
                    if (type.getKey().equals("application/json")) {
                        request.header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(example.getValue().path("value").toString()));
                    } else {
                        MultipartBody form = new MultipartBody();
                        example.getValue().path("value").fields().forEachRemaining(f -> form.field(f.getKey(), f.getValue().asText()));
                        request.header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.build()));
                    }
                    HttpResponse<String> r = fleet.send(node, request.build());
                    assertAnsweredAsDocumented(doc, launch, "POST /launch example " + example.getKey(), r);
                }
            }
            HttpResponse<String> stop = fleet.post(node, "/tasks/" + taskId + "/stop");
            assertAnsweredAsDocumented(doc, doc.path("paths").path("/tasks/{task_id}/stop").path("post"), "POST stop", stop);
            assertEquals(200, stop.statusCode(), stop.body());
            // the task is ended now: a replay by hand runs it again (the call in the walk above met it active: 409)
            HttpResponse<String> replay = fleet.post(node, "/tasks/" + taskId + "/replay");
            assertAnsweredAsDocumented(doc, doc.path("paths").path("/tasks/{task_id}/replay").path("post"), "POST replay", replay);
            assertEquals(200, replay.statusCode(), replay.body());
        }
    }

    private static Set<String> documentedRoutes(JsonNode doc) {
        Set<String> out = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (OPERATIONS.contains(m)) {
                out.add(RouteRecorder.normalize(m, p.getKey()));
            }
        }));
        return out;
    }

    /** Every {@code examples.X.value} beside a {@code schema}: validated against that schema. */
    private void walkExamples(JsonNode doc, JsonNode node, String at, List<String> checked) {
        if (node.isObject()) {
            if (node.has("schema") && node.has("examples")) {
                node.path("examples").fields().forEachRemaining(e -> {
                    assertValid(doc, node.path("schema"), e.getValue().path("value"), at + "/examples/" + e.getKey());
                    checked.add(at + "/" + e.getKey());
                });
            }
            node.fields().forEachRemaining(f -> walkExamples(doc, f.getValue(), at + "/" + f.getKey(), checked));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walkExamples(doc, node.get(i), at + "/" + i, checked);
            }
        }
    }

    private void assertValid(JsonNode doc, JsonNode schemaNode, JsonNode value, String where) {
        ObjectNode root = ((ObjectNode) schemaNode.deepCopy());
        // why: the document's "#/components/..." references resolve against the schema's root
        root.set("components", doc.path("components"));
        Schema schema = schemas.getSchema(root);
        var errors = schema.validate(value);
        assertTrue(errors.isEmpty(), where + ": " + errors + " for " + value);
    }

    private void assertAnsweredAsDocumented(JsonNode doc, JsonNode operation, String call, HttpResponse<String> r) throws Exception {
        assertFalse(r.statusCode() == 404 && r.body().contains("no route for"), call + " is not routed: " + r.body());
        JsonNode response = operation.path("responses").path(String.valueOf(r.statusCode()));
        assertFalse(response.isMissingNode(), call + " answered " + r.statusCode() + ", which is not documented: " + r.body());
        if (response.has("$ref")) {
            response = doc.at(response.path("$ref").asText().substring(1));
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        JsonNode content = response.path("content");
        assertFalse(content.isObject() && !content.isEmpty() && content.fieldNames().hasNext()
                && !contains(content, type), call + ": content type " + type + " is not documented for " + r.statusCode());
        if (type.startsWith("application/json")) {
            assertValid(doc, content.path("application/json").path("schema"), JsonReply.MAPPER.readTree(r.body()), call);
        }
    }

    private static boolean contains(JsonNode content, String type) {
        String base = type.split(";")[0].trim();
        for (Iterator<String> names = content.fieldNames(); names.hasNext(); ) {
            if (names.next().equals(base)) {
                return true;
            }
        }
        return false;
    }

    private static void assertStreamAnswers(FleetFixture fleet, ApiNode node, String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(FleetFixture.uri(node, url)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
            r.body().close();
        }
    }

    private static String launchForTheTest(FleetFixture fleet, ApiNode node) throws Exception {
        String json = "{\"livekit_url\":\"ws://127.0.0.1:7880\",\"livekit_token\":\"" + TestTokens.avatar("room-doc", "avatar-doc")
                + "\",\"room_name\":\"room-doc\"}";
        HttpResponse<String> r = fleet.send(node, HttpRequest.newBuilder(FleetFixture.uri(node, "/launch"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
        assertEquals(200, r.statusCode(), r.body());
        String id = JsonReply.MAPPER.readTree(r.body()).path("task_id").asText();
        assertNotEquals("", id);
        return id;
    }
}
