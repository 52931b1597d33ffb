package dev.avatarfleet.devroom.signal;

import dev.avatarfleet.devroom.room.SignalChannel;
import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;
import livekit.LivekitRtc.SignalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participant's WebSocket. Sends are serialized (they come from WebRTC threads, the sweeper and the reader);
 * responses are binary protobuf until the client sends a JSON text frame, then JSON, like livekit-server.
 */
final class WsSignalChannel implements SignalChannel {
    private static final Logger LOG = LoggerFactory.getLogger(WsSignalChannel.class);
    private final WsSession session;
    private volatile boolean json;
    private boolean closed;

    WsSignalChannel(WsSession session) {
        this.session = session;
    }

    void useJson(boolean value) {
        this.json = value;
    }

    @Override
    public synchronized void send(SignalResponse response) {
        if (closed) {
            return;
        }
        try {
            if (json) {
                session.send(SignalCodec.toJson(response), true);
            } else {
                session.send(BufferData.create(response.toByteArray()), true);
            }
        } catch (RuntimeException e) {
            LOG.debug("send failed, closing: {}", e.toString());
            closed = true;
        }
    }

    @Override
    public void close(String reason) {
        close(WsCloseCodes.NORMAL_CLOSE, reason);
    }

    synchronized void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // why: a close reason is at most 123 bytes on the wire
            session.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason);
        } catch (RuntimeException e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }
}
