package dev.avatarfleet.common.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LaunchSpecTest {

    @Test
    void blankPromptBecomesTheSeedDefault() {
        LaunchSpec spec = new LaunchSpec("t1", 1, "room", "ws://h:7880", "jwt", null, " ", null, "avatar");
        assertEquals("A person is talking naturally.", spec.prompt());
    }

    @Test
    void nextAttemptCountsUpAndKeepsEverythingElse() {
        LaunchSpec spec = new LaunchSpec("t1", 1, "room", "ws://h:7880", "jwt", "abc", "p", "id", "avatar");
        LaunchSpec next = spec.nextAttempt();
        assertEquals(2, next.attempt());
        assertEquals(spec.imageHash(), next.imageHash());
        assertEquals(spec.livekitToken(), next.livekitToken());
    }

    @Test
    void attemptZeroIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new LaunchSpec("t1", 0, "room", "ws://h:7880", "jwt", null, null, null, "avatar"));
    }
}
