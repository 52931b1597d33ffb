package dev.avatarfleet.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.avatarfleet.common.json.Json;
import dev.avatarfleet.common.secret.LaunchRecordKey;
import dev.avatarfleet.common.secret.TokenSeal;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.common.task.LaunchSpecs;
import org.junit.jupiter.api.Test;

/** The launch record: its LiveKit token sealed, bound to its task, and records from before sealing still read. */
class LaunchRecordsTest {

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdmF0YXIiLCJ2aWRlbyI6eyJyb29tIjoiciJ9fQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

    private static LaunchSpec spec(String taskId) {
        LaunchSpec base = LaunchSpecs.aLaunch(taskId).build();
        return new LaunchSpec(base.taskId(), base.attempt(), base.roomName(), base.livekitUrl(), TOKEN, base.imageHash(),
                base.prompt(), base.avatarId(), base.identity());
    }

    @Test
    void theRecordCarriesNoPartOfTheTokenAndReadsBackWhole() {
        String record = LaunchRecords.encode(spec("t-1"));
        for (String part : TOKEN.split("\\.")) {
            assertFalse(record.contains(part), "a part of the token is readable in " + record);
        }
        assertFalse(record.contains("livekitToken"), record);
        assertTrue(record.contains("\"sealedToken\":\"v1."), record);
        assertEquals(spec("t-1"), LaunchRecords.decode(record).orElseThrow());
    }

    @Test
    void eachWriteIsSealedAfreshSoAReplayIsANewCiphertext() {
        LaunchSpec s = spec("t-2");
        String first = LaunchRecords.encode(s);
        String replay = LaunchRecords.encode(s.nextAttempt());
        assertNotEquals(sealed(first), sealed(replay));
        assertEquals(s.nextAttempt(), LaunchRecords.decode(replay).orElseThrow());
    }

    @Test
    void aRecordWrittenBeforeSealingStillDecodes() {
        String plain = Json.write(spec("t-3"));
        assertTrue(plain.contains(TOKEN));
        assertEquals(spec("t-3"), LaunchRecords.decode(plain).orElseThrow());
    }

    @Test
    void aSealedTokenMovedToAnotherTaskOrAlteredDoesNotOpen() throws Exception {
        ObjectNode moved = (ObjectNode) Json.mapper().readTree(LaunchRecords.encode(spec("t-4")));
        moved.put("taskId", "t-5");
        assertTrue(LaunchRecords.decode(Json.write(moved)).isEmpty(), "the task id is the associated data");

        ObjectNode altered = (ObjectNode) Json.mapper().readTree(LaunchRecords.encode(spec("t-6")));
        String s = altered.get("sealedToken").asText();
        // why: not the last character, whose low bits may be base64 padding the decoder ignores
        int at = s.length() - 8;
        altered.put("sealedToken", s.substring(0, at) + (s.charAt(at) == 'A' ? 'B' : 'A') + s.substring(at + 1));
        assertTrue(LaunchRecords.decode(Json.write(altered)).isEmpty(), "the tag checks every byte");
    }

    @Test
    void aTokenSealedUnderAKeyThisProcessDoesNotHoldDoesNotOpen() throws Exception {
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        ObjectNode record = (ObjectNode) Json.mapper().readTree(LaunchRecords.encode(spec("t-7")));
        record.put("sealedToken", TokenSeal.seal(LaunchRecordKey.of(other), TOKEN, "t-7"));
        assertTrue(LaunchRecords.decode(Json.write(record)).isEmpty());
        assertTrue(LaunchRecords.decode(Json.write(Map.of("taskId", "t-8", "sealedToken", "v1.nokey"))).isEmpty());
    }

    private static String sealed(String record) {
        try {
            return Json.mapper().readTree(record).get("sealedToken").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
