package dev.avatarfleet.api.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes {@code POST /launch} as {@code multipart/form-data}: the input's first line is the
 * Content-Type's boundary parameter (printable ASCII kept, so the header itself is always valid),
 * the rest is the body, read by {@code MultipartFormReader} and {@code LaunchFormReader}, checked by
 * {@code LaunchValidator}, and sent through the routing. Seeds and every crash ever found:
 * {@code MultipartLaunchFuzzTestInputs/multipartLaunch/}.
 */
class MultipartLaunchFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void multipartLaunch(byte[] input) {
        int newline = 0;
        while (newline < input.length && input[newline] != '\n') {
            newline++;
        }
        StringBuilder parameter = new StringBuilder();
        for (int i = 0; i < newline; i++) {
            if (input[i] >= 0x20 && input[i] < 0x7f) {
                parameter.append((char) input[i]);
            }
        }
        String contentType = "multipart/form-data; boundary=" + parameter;
        byte[] body = newline < input.length ? Arrays.copyOfRange(input, newline + 1, input.length) : new byte[0];
        LaunchFuzzing.readAndValidate(contentType, body);
        LaunchFuzzing.throughRouting(contentType, body);
    }

    /** For seeds: a boundary line, then the body. */
    static byte[] input(String boundary, byte[] body) {
        byte[] head = (boundary + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
