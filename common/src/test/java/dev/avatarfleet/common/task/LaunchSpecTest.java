package dev.avatarfleet.common.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LaunchSpecTest {

    @Test
    void blankPromptBecomesTheSeedDefault() {
        LaunchSpec spec = LaunchSpecs.aLaunch("t1").withPrompt(" ").build();
        assertEquals("A person is talking naturally.", spec.prompt());
    }

    @Test
    void nextAttemptCountsUpAndKeepsEverythingElse() {
        LaunchSpec spec = LaunchSpecs.aLaunch("t1").withImageHash("abc").withPrompt("p").withAvatarId("id").build();
        LaunchSpec next = spec.nextAttempt();
        assertEquals(2, next.attempt());
        assertEquals(spec.imageHash(), next.imageHash());
        assertEquals(spec.livekitToken(), next.livekitToken());
    }

    @Test
    void attemptZeroIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> LaunchSpecs.aLaunch("t1").attempt(0).build());
    }
}
