package dev.avatarfleet.worker.session.audio;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import livekit.LivekitModels.DataStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles the agent's speech byte streams (topic {@code lk.audio_stream}: a header with the
 * {@code sample_rate} and {@code num_channels} attributes, chunks of int16 LE interleaved PCM, a
 * trailer) into segments of the {@link SpeechQueue}. Streams on other topics, from other senders,
 * with bad attributes or out-of-order chunks are ignored; chunk ids it does not know are dropped
 * (trailers are broadcast to everyone). Called from one data-channel thread at a time.
 */
public final class AudioStreamIntake {

    /** The topic the agent's {@code DataStreamAudioOutput} writes to. */
    public static final String TOPIC = "lk.audio_stream";
    /** Streams open at once from the agent; more are refused. */
    static final int MAX_OPEN_STREAMS = 4;
    /** Largest chunk accepted; senders split at 15 000 bytes. */
    static final int MAX_CHUNK_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AudioStreamIntake.class);

    private final SpeechQueue queue;
    private final Predicate<String> isAgent;
    private final Runnable onAudio;
    private final Map<String, OpenStream> open = new HashMap<>();

    /**
     * @param isAgent  whether an identity is this session's agent (audio from anyone else is ignored)
     * @param onAudio  told whenever speech arrives (for the idle timeout)
     */
    public AudioStreamIntake(SpeechQueue queue, Predicate<String> isAgent, Runnable onAudio) {
        this.queue = queue;
        this.isAgent = isAgent;
        this.onAudio = onAudio;
    }

    public synchronized void onHeader(String sender, DataStream.Header header) {
        if (!TOPIC.equals(header.getTopic()) || !isAgent.test(sender)) {
            return;
        }
        String id = header.getStreamId();
        if (id.isEmpty() || id.length() > 128 || open.containsKey(id)) {
            return;
        }
        if (open.size() >= MAX_OPEN_STREAMS) {
            LOG.atWarn().log(() -> "audio stream " + id + " refused: " + MAX_OPEN_STREAMS + " already open");
            return;
        }
        PcmResampler resampler;
        try {
            resampler = new PcmResampler(intAttribute(header, "sample_rate"), intAttribute(header, "num_channels"));
        } catch (IllegalArgumentException e) {
            LOG.atWarn().log(() -> "audio stream " + id + " ignored: " + e.getMessage());
            return;
        }
        if (!queue.begin(id)) {
            LOG.atWarn().log(() -> "audio stream " + id + " refused: speech queue full");
            return;
        }
        open.put(id, new OpenStream(sender, resampler));
        onAudio.run();
    }

    public synchronized void onChunk(String sender, DataStream.Chunk chunk) {
        OpenStream stream = open.get(chunk.getStreamId());
        if (stream == null || !stream.sender.equals(sender)) {
            return;
        }
        if (chunk.getChunkIndex() != stream.nextIndex || chunk.getContent().size() > MAX_CHUNK_BYTES) {
            // why: a gap or an oversized chunk means the stream is broken; play what we have and stop
            LOG.atWarn().log(() -> "audio stream " + chunk.getStreamId() + " cut at chunk " + chunk.getChunkIndex());
            close(chunk.getStreamId(), stream);
            return;
        }
        stream.nextIndex++;
        queue.append(chunk.getStreamId(), stream.resampler.push(chunk.getContent().toByteArray()));
        onAudio.run();
    }

    public synchronized void onTrailer(String sender, DataStream.Trailer trailer) {
        OpenStream stream = open.get(trailer.getStreamId());
        if (stream == null || !stream.sender.equals(sender)) {
            return;
        }
        close(trailer.getStreamId(), stream);
        onAudio.run();
    }

    /** Streams currently open. */
    public synchronized int openStreams() {
        return open.size();
    }

    private void close(String id, OpenStream stream) {
        open.remove(id);
        queue.append(id, stream.resampler.finish());
        queue.end(id);
    }

    private static int intAttribute(DataStream.Header header, String name) {
        String value = header.getAttributesOrDefault(name, null);
        if (value == null) {
            throw new IllegalArgumentException("missing attribute " + name);
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("attribute " + name + " is not an integer");
        }
    }

    private static final class OpenStream {
        final String sender;
        final PcmResampler resampler;
        long nextIndex;

        OpenStream(String sender, PcmResampler resampler) {
            this.sender = sender;
            this.resampler = resampler;
        }
    }
}
