package dev.avatarfleet.bench.load;

import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.kafka.KafkaTaskLog;
import dev.avatarfleet.common.store.Admission;
import dev.avatarfleet.common.store.NewTask;
import dev.avatarfleet.common.store.RedisTaskStore;
import dev.avatarfleet.common.store.TenantAdmission;
import java.time.Instant;
import java.util.List;

/**
 * The floor under one launch, measured from the load generator's own JVM: the admission script the API runs
 * ({@link RedisTaskStore#admit}, the real one) and one produce with {@code acks=all} of the launch record it returns
 * ({@link KafkaTaskLog#append}, the API's producer settings) to a topic of its own that no share group reads, so no
 * worker ever sees these launches. What {@code /launch} costs above this is the API's own overhead: HTTP, JSON or
 * multipart parsing, token and image checks, the image stored.
 */
public final class LaunchFloor implements AutoCloseable {
    public static final String TOPIC = "bench-launch-floor";

    private final RedisTaskStore store;
    private final KafkaTaskLog log;
    private final String livekitUrl;
    private final String token;

    public LaunchFloor(RedisTaskStore store, FleetSettings settings, String livekitUrl, String token) {
        this.store = store;
        this.log = new KafkaTaskLog(settings.withTopic(TOPIC, "bench-launch-floor-nobody"));
        this.livekitUrl = livekitUrl;
        this.token = token;
        log.ensureTopic();
        log.warmUp();
    }

    /** One admission and one produce for a launch into {@code room}: "ok", or why it was not admitted. */
    public String launch(String room) {
        return launch(room, null);
    }

    /** The same, the task it created noted in {@code created} when given. */
    public String launch(String room, TaskSweep created) {
        Admission a = store.admit(new NewTask(room, "bithuman-avatar-agent", null, null, List.of(), null, livekitUrl, token,
                null, Instant.now().plusSeconds(3600)), TenantAdmission.NONE);
        return switch (a) {
            case Admission.Admitted admitted -> {
                if (created != null) {
                    created.add(admitted.task().taskId());
                }
                log.append(admitted.launch());
                yield "ok";
            }
            case Admission.Refused refused -> "refused " + refused.reason().wire();
            case Admission.Existing existing -> "existing";
        };
    }

    @Override
    public void close() {
        log.close();
    }
}
