package dev.avatarfleet.common.config;

/** A process of this project that reads settings from its environment. */
public enum Node {
    /** An API node ({@code ApiMain}). */
    API("API node"),
    /** A worker node ({@code WorkerMain}). */
    WORKER("worker"),
    /** The dev room server ({@code DevRoomMain}), a development and test tool. */
    DEVROOM("dev room"),
    /** The local stack's and the tests' Kafka broker ({@code KafkaServerMain}). */
    TEST_BROKER("test broker"),
    /** The media tests, inside the network namespace {@code ops/test} makes. */
    MEDIA_TESTS("media tests");

    private final String label;

    Node(String label) {
        this.label = label;
    }

    /** How the documentation names it. */
    public String label() {
        return label;
    }
}
