package dev.avatarfleet.worker.livekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.LeaveRequest;
import org.junit.jupiter.api.Test;

/** A join to a LiveKit URL where nothing listens fails at once with a readable reason. */
class RefusedJoinTest {

    @Test
    void deadUrlFailsReadablyAndQuickly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try (HttpClient http = HttpClient.newHttpClient()) {
            LiveKitUrl url = LiveKitUrl.parse("http://127.0.0.1:" + port);
            long start = System.nanoTime();
            LiveKitException e = assertThrows(LiveKitException.class, () -> RoomConnection.join(url, "token", http, null, timers, java.time.Clock.systemUTC(),
                    new RoomConnection.Events() {
                        @Override
                        public void dataPacket(DataPacket packet) {
                        }

                        @Override
                        public void participants(List<ParticipantInfo> updated) {
                        }

                        @Override
                        public void leave(LeaveRequest leave) {
                        }

                        @Override
                        public void lost(String reason) {
                        }
                    }));
            assertEquals("livekit: cannot connect to 127.0.0.1:" + port + " (connection refused)", e.getMessage());
            assertTrue(System.nanoTime() - start < SignalClient.CONNECT_TIMEOUT.toNanos() + 2_000_000_000L);
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void serverTextIsCutToOneCleanLine() {
        assertEquals("token expired", SignalClient.readable("  token expired\nstack\n"));
        assertEquals(201, SignalClient.readable("x".repeat(500)).length());
        assertEquals("a b", SignalClient.readable("a\u0007b"));
    }
}
