package dev.avatarfleet.api.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.api.launch.LiveKitToken;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the LiveKit token reader: the input's first line is the room asked for, the rest the token;
 * any text is either refused with a 400 or read into a token for exactly that room, with an identity.
 * Seeds and every crash ever found: {@code LiveKitTokenFuzzTestInputs/token/}.
 */
class LiveKitTokenFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void token(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String room = newline < 0 ? "fuzz-room" : text.substring(0, newline);
        String token = newline < 0 ? text : text.substring(newline + 1);
        try {
            LiveKitToken read = LiveKitToken.check(token, room, LaunchFuzzing.CLOCK);
            assertEquals(room, read.room());
            assertFalse(read.identity().isBlank());
        } catch (ApiException refused) {
            assertEquals(400, refused.status().code(), refused.reason());
        }
    }
}
