package dev.avatarfleet.worker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class whose time goes on waiting, not computing: on a real Kafka broker and redis-server, on the fleet's
 * heartbeats, sweeps and timeouts, with held sessions that render nothing. Surefire runs these in its execution
 * {@code waiting} (worker/pom.xml) in two JVMs at once, each running its share of the classes one after another on
 * its own broker and redis-server ({@code TestServers}, free ports): such a class names what it makes with
 * {@code TestServers.uniquePrefix} (as {@code Fleet} does), closes what it starts, and leaves a server it pauses or
 * cuts answering again when it ends.
 *
 * <p>Not for a class that renders or encodes, measures time, memory or threads, or whose assertion holds only while
 * the fleet's timers keep their order within a short window (a clock offset, a fence against the dead-worker
 * timeout, a failover time): those stay in {@code default-test}, one JVM at a time.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("waiting")
public @interface WaitingBound {
}
