package dev.avatarfleet.worker.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.worker.livekit.RpcEndpoint;
import dev.avatarfleet.worker.session.audio.SegmentPlayed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import livekit.LivekitModels.DataPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reporter against a real RPC endpoint on the agent's side, wired packet for packet (no room). */
class PlaybackReporterTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService wire = Executors.newSingleThreadExecutor();
    private final List<String> agentSaw = new CopyOnWriteArrayList<>();
    private final AtomicInteger startedRequests = new AtomicInteger();
    private volatile Predicate<DataPacket> dropToAgent = p -> false;
    private RpcEndpoint avatar;
    private RpcEndpoint agent;
    private PlaybackReporter reporter;

    private void connect(boolean agentTakesStarted) {
        agent = new RpcEndpoint(p -> wire.execute(() -> avatar.onPacket(from("agent", p))), timers, Runnable::run);
        avatar = new RpcEndpoint(p -> wire.execute(() -> {
            if (p.hasRpcRequest() && p.getRpcRequest().getMethod().equals(PlaybackReporter.STARTED_METHOD)) {
                startedRequests.incrementAndGet();
            }
            if (!dropToAgent.test(p)) {
                agent.onPacket(from("avatar", p));
            }
        }), timers, Runnable::run);
        agent.register(PlaybackReport.METHOD, (caller, payload) -> {
            agentSaw.add("finished " + payload);
            return "ok";
        });
        if (agentTakesStarted) {
            agent.register(PlaybackReporter.STARTED_METHOD, (caller, payload) -> {
                agentSaw.add("started '" + payload + "'");
                return "ok";
            });
        }
        reporter = new PlaybackReporter(() -> "agent", () -> avatar, () -> false);
    }

    private static DataPacket from(String identity, DataPacket p) {
        return p.toBuilder().setParticipantIdentity(identity).build();
    }

    @AfterEach
    void stop() {
        reporter.close();
        avatar.close();
        agent.close();
        wire.shutdownNow();
        timers.shutdownNow();
    }

    @Test
    void startedWithAnEmptyPayloadBeforeFinished() {
        connect(true);
        reporter.started("s1");
        reporter.played(new SegmentPlayed("s1", 1.5, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> agentSaw.size() == 2);
        assertEquals("started ''", agentSaw.get(0));
        assertTrue(agentSaw.get(1).startsWith("finished {\"playback_position\": 1.5"), agentSaw.get(1));
        assertFalse(reporter.startedUnsupported());
    }

    @Test
    void anAgentAnswering1400IsNotCalledAgainAndStillGetsFinished() {
        connect(false);
        reporter.started("s1");
        reporter.played(new SegmentPlayed("s1", 1.0, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> agentSaw.size() == 1 && reporter.startedUnsupported());
        reporter.started("s2");
        reporter.played(new SegmentPlayed("s2", 2.0, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> agentSaw.size() == 2);
        assertEquals(1, startedRequests.get(), "after a 1400 lk.playback_started is not called again");
        assertTrue(agentSaw.get(1).contains("2.0"), agentSaw.get(1));
    }

    @Test
    void anUnansweredStartedDoesNotHoldBackFinished() {
        connect(true);
        // why: the agent never sees the started request, so it is neither acked nor answered (a 7 s ack timeout)
        dropToAgent = p -> p.hasRpcRequest() && p.getRpcRequest().getMethod().equals(PlaybackReporter.STARTED_METHOD);
        reporter.started("s1");
        reporter.played(new SegmentPlayed("s1", 1.0, false));
        // why: finished is sent right after started, not after started's answer or timeout (ack timeout 7 s)
        await().atMost(Duration.ofMillis(RpcEndpoint.ACK_TIMEOUT.toMillis() - 2000)).until(() -> agentSaw.size() == 1);
        assertTrue(agentSaw.get(0).startsWith("finished"), agentSaw.get(0));
        assertFalse(reporter.startedUnsupported(), "a timeout is not a 1400");
    }
}
