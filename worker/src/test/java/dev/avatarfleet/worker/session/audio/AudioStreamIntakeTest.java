package dev.avatarfleet.worker.session.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.avatarfleet.worker.media.AudioFeed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import livekit.LivekitModels.DataStream;
import org.junit.jupiter.api.Test;

class AudioStreamIntakeTest {

    private final List<SegmentPlayed> reports = new ArrayList<>();
    private final SpeechQueue queue = new SpeechQueue(reports::add);
    private final AtomicInteger activity = new AtomicInteger();
    private final AudioStreamIntake intake = new AudioStreamIntake(queue, "agent"::equals, activity::incrementAndGet);

    private static DataStream.Header header(String id, String topic, String rate, String channels) {
        DataStream.Header.Builder b = DataStream.Header.newBuilder().setStreamId(id).setTopic(topic)
                .setMimeType("application/octet-stream").setByteHeader(DataStream.ByteHeader.newBuilder().setName("AUDIO_x"));
        if (rate != null) {
            b.putAttributes("sample_rate", rate);
        }
        if (channels != null) {
            b.putAttributes("num_channels", channels);
        }
        return b.build();
    }

    private static DataStream.Chunk chunk(String id, long index, int bytes) {
        return DataStream.Chunk.newBuilder().setStreamId(id).setChunkIndex(index)
                .setContent(ByteString.copyFrom(new byte[bytes])).build();
    }

    private static DataStream.Trailer trailer(String id) {
        return DataStream.Trailer.newBuilder().setStreamId(id).build();
    }

    @Test
    void threeSecondsAt24kStereoIsOneSegmentOfThreeSeconds() {
        intake.onHeader("agent", header("s1", AudioStreamIntake.TOPIC, "24000", "2"));
        // 3 s of 24 kHz stereo int16 in 15 000-byte chunks, as the Python writer splits
        int total = 24_000 * 3 * 4;
        long index = 0;
        for (int at = 0; at < total; at += 15_000) {
            intake.onChunk("agent", chunk("s1", index++, Math.min(15_000, total - at)));
        }
        intake.onTrailer("agent", trailer("s1"));
        assertEquals(0, intake.openStreams());
        short[] tick = new short[AudioFeed.SAMPLES_PER_TICK];
        int ticks = 0;
        while (reports.isEmpty() && ticks < 1000) {
            queue.next(tick);
            ticks++;
        }
        assertEquals(75, ticks, "3 s is 75 ticks of 40 ms");
        assertEquals(1, reports.size());
        assertEquals(3.0, reports.get(0).playbackPosition(), 0.001);
        assertFalse(reports.get(0).interrupted());
    }

    @Test
    void ignoresOtherTopicsSendersAndUnknownStreams() {
        intake.onHeader("agent", header("t", "lk.transcription", "24000", "1"));
        intake.onHeader("someone", header("u", AudioStreamIntake.TOPIC, "24000", "1"));
        intake.onChunk("agent", chunk("t", 0, 100));
        intake.onChunk("agent", chunk("nope", 0, 100));
        intake.onTrailer("agent", trailer("nope"));
        assertFalse(queue.hasSpeech());
        assertEquals(0, activity.get());
    }

    @Test
    void refusesMissingOrHostileAttributes() {
        intake.onHeader("agent", header("a", AudioStreamIntake.TOPIC, null, "1"));
        intake.onHeader("agent", header("b", AudioStreamIntake.TOPIC, "24000", null));
        intake.onHeader("agent", header("c", AudioStreamIntake.TOPIC, "x", "1"));
        intake.onHeader("agent", header("d", AudioStreamIntake.TOPIC, "2000000000", "1"));
        assertEquals(0, intake.openStreams());
        assertFalse(queue.hasSpeech());
    }

    @Test
    void chunkFromAnotherSenderOnTheAgentsStreamIsDropped() {
        intake.onHeader("agent", header("s", AudioStreamIntake.TOPIC, "48000", "1"));
        intake.onChunk("intruder", chunk("s", 0, 960));
        assertEquals(0, queue.queuedSamples());
        intake.onChunk("agent", chunk("s", 0, 960));
        assertEquals(480, queue.queuedSamples());
    }

    @Test
    void aGapOrOversizedChunkEndsTheStream() {
        intake.onHeader("agent", header("s", AudioStreamIntake.TOPIC, "48000", "1"));
        intake.onChunk("agent", chunk("s", 0, 960));
        intake.onChunk("agent", chunk("s", 2, 960));
        assertEquals(0, intake.openStreams());
        intake.onHeader("agent", header("big", AudioStreamIntake.TOPIC, "48000", "1"));
        intake.onChunk("agent", chunk("big", 0, AudioStreamIntake.MAX_CHUNK_BYTES + 2));
        assertEquals(0, intake.openStreams());
    }

    @Test
    void boundsOpenStreams() {
        for (int i = 0; i < AudioStreamIntake.MAX_OPEN_STREAMS + 3; i++) {
            intake.onHeader("agent", header("s" + i, AudioStreamIntake.TOPIC, "48000", "1"));
        }
        assertEquals(AudioStreamIntake.MAX_OPEN_STREAMS, intake.openStreams());
    }

    @Test
    void clearedStreamDropsItsRestAndReportsOnce() {
        intake.onHeader("agent", header("s", AudioStreamIntake.TOPIC, "48000", "1"));
        intake.onChunk("agent", chunk("s", 0, 15_000));
        queue.next(new short[AudioFeed.SAMPLES_PER_TICK]);
        List<SegmentPlayed> cut = queue.clear();
        assertEquals(1, cut.size());
        assertTrue(cut.get(0).interrupted());
        intake.onChunk("agent", chunk("s", 1, 15_000));
        intake.onTrailer("agent", trailer("s"));
        assertEquals(0, queue.queuedSamples());
        assertEquals(1, reports.size());
    }
}
