package dev.avatarfleet.common.kafka;

import dev.avatarfleet.common.fault.TaskLogUnavailableException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;

/**
 * One call to a Kafka client, its failures said one way: every way such a call fails (a failed future, a timeout, a
 * client exception, an interrupt) becomes a {@link TaskLogUnavailableException} naming the brokers and what was
 * being done; any other runtime exception (a bug of ours) goes through as it is.
 */
final class KafkaCall {

    /** The call: a client method, usually a future's bounded {@code get}. */
    interface Step<T> {
        T run() throws Exception;
    }

    private KafkaCall() {
    }

    static <T> T run(String bootstrapServers, String what, Step<T> step) {
        try {
            return step.run();
        } catch (ExecutionException e) {
            throw unavailable(bootstrapServers, what, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw unavailable(bootstrapServers, what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(bootstrapServers, what, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw unavailable(bootstrapServers, what, e);
        }
    }

    static TaskLogUnavailableException unavailable(String bootstrapServers, String what, Throwable cause) {
        return new TaskLogUnavailableException("kafka unavailable at " + bootstrapServers + " while " + what + ": "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage()), cause);
    }
}
