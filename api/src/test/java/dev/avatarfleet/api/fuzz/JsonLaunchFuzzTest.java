package dev.avatarfleet.api.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@code POST /launch} as {@code application/json}: the body read by {@code LaunchFormReader}
 * (bounded Jackson), checked by {@code LaunchValidator}, and sent through the routing. Seeds and every
 * crash ever found: {@code JsonLaunchFuzzTestInputs/}.
 */
class JsonLaunchFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void jsonLaunch(byte[] body) {
        LaunchFuzzing.readAndValidate("application/json", body);
        LaunchFuzzing.throughRouting("application/json", body);
    }
}
