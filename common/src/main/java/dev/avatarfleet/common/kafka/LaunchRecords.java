package dev.avatarfleet.common.kafka;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.avatarfleet.common.json.Json;
import dev.avatarfleet.common.secret.LaunchRecordKeys;
import dev.avatarfleet.common.secret.TokenSeal;
import dev.avatarfleet.common.task.LaunchSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launch record's value on the topic (and wherever else a launch is kept): the {@link LaunchSpec} as JSON
 * (key: the task id), its LiveKit token sealed ({@code sealedToken}, AES-256-GCM under the fleet's launch record
 * key, bound to the task id) instead of the plain {@code livekitToken}. why: the topic keeps records for days and
 * is read by every worker and any tool with access to Kafka; a token there is a key to the customer's room.
 *
 * <p>Records written before sealing (a plain {@code livekitToken}) still decode, so a fleet upgrades with its
 * topic as it is; every record written from then on (a replay too) is sealed afresh.
 */
public final class LaunchRecords {

    /** Records above this size are not ours; the consumer rejects them. */
    public static final int MAX_RECORD_CHARS = 64 * 1024;

    static final String PLAIN_TOKEN = "livekitToken";
    static final String SEALED_TOKEN = "sealedToken";

    private static final Logger LOG = LoggerFactory.getLogger(LaunchRecords.class);

    private LaunchRecords() {
    }

    public static String encode(LaunchSpec spec) {
        ObjectNode tree = Json.mapper().valueToTree(spec);
        tree.remove(PLAIN_TOKEN);
        tree.put(SEALED_TOKEN, TokenSeal.seal(LaunchRecordKeys.process().sealing(), spec.livekitToken(), spec.taskId()));
        return Json.write(tree);
    }

    /** The spec, or empty when the value is not a valid launch record (or its token does not open here: logged). */
    public static Optional<LaunchSpec> decode(String value) {
        if (value == null || value.length() > MAX_RECORD_CHARS) {
            return Optional.empty();
        }
        try {
            JsonNode tree = Json.mapper().readTree(value);
            if (!(tree instanceof ObjectNode record)) {
                return Optional.empty();
            }
            JsonNode sealed = record.remove(SEALED_TOKEN);
            if (sealed != null && sealed.isTextual()) {
                String taskId = record.path("taskId").asText("");
                try {
                    record.put(PLAIN_TOKEN, TokenSeal.open(sealed.asText(), taskId, LaunchRecordKeys.process()::byId));
                } catch (TokenSeal.SealException e) {
                    LOG.warn("launch record of task {}: its LiveKit token does not open: {}", taskId, e.getMessage());
                    return Optional.empty();
                }
            }
            return Optional.of(Json.mapper().treeToValue(record, LaunchSpec.class));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
