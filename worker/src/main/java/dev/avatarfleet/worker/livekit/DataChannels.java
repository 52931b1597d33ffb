package dev.avatarfleet.worker.livekit;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import livekit.LivekitModels.DataPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data channels of one room connection: the {@code _reliable} (ordered) and {@code _lossy} channels we
 * open on the publisher, and every channel the server opens on the subscriber. Packets that arrive on any of
 * them are decoded and handed on; we send on {@code _reliable} only.
 */
final class DataChannels {

    private static final Logger LOG = LoggerFactory.getLogger(DataChannels.class);
    /** Largest data packet accepted; larger ones are dropped unread. */
    static final int MAX_DATA_PACKET_BYTES = 256 * 1024;

    private final Consumer<DataPacket> packets;
    private final BooleanSupplier closed;
    private final List<RTCDataChannel> channels = new ArrayList<>();
    private final CompletableFuture<Void> reliableOpen = new CompletableFuture<>();
    private volatile RTCDataChannel reliable;
    // why: an RPC ack or response may be due before _reliable opens (the agent calls as soon as we joined)
    private final List<DataPacket> heldUntilOpen = new ArrayList<>();
    /** Packets held while {@code _reliable} is not open yet; more are refused. */
    static final int MAX_HELD_PACKETS = 64;

    /**
     * @param packets told of every decoded packet, on a WebRTC thread
     * @param closed  true once the connection is closing: channels that appear then are disposed at once
     */
    DataChannels(Consumer<DataPacket> packets, BooleanSupplier closed) {
        this.packets = packets;
        this.closed = closed;
    }

    /** Opens {@code _reliable} and {@code _lossy} on the publisher, as every LiveKit client does. */
    void openOn(RTCPeerConnection publisher) {
        RTCDataChannelInit reliableInit = new RTCDataChannelInit();
        reliableInit.ordered = true;
        RTCDataChannel r = publisher.createDataChannel("_reliable", reliableInit);
        RTCDataChannelInit lossyInit = new RTCDataChannelInit();
        lossyInit.ordered = false;
        lossyInit.maxRetransmits = 0;
        RTCDataChannel lossy = publisher.createDataChannel("_lossy", lossyInit);
        watch(r, true);
        watch(lossy, false);
    }

    /** Completes when {@code _reliable} is open: data can be sent. */
    CompletableFuture<Void> reliableOpen() {
        return reliableOpen;
    }

    /** Sends a packet on {@code _reliable}. */
    void sendReliable(DataPacket packet) throws Exception {
        if (closed.getAsBoolean()) {
            throw new IllegalStateException("data channel closed");
        }
        RTCDataChannel channel = reliable;
        if (channel == null) {
            synchronized (heldUntilOpen) {
                channel = reliable;
                if (channel == null) {
                    if (heldUntilOpen.size() >= MAX_HELD_PACKETS) {
                        throw new IllegalStateException("data channel not open");
                    }
                    heldUntilOpen.add(packet);
                    return;
                }
            }
        }
        transmit(channel, packet);
    }

    private static void transmit(RTCDataChannel channel, DataPacket packet) throws Exception {
        byte[] bytes = packet.toByteArray();
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        synchronized (channel) {
            channel.send(new RTCDataChannelBuffer(buffer, true));
        }
    }

    /** The reliable channel opened: what was held goes out first, in order, then it is used directly. */
    private void opened(RTCDataChannel channel) {
        synchronized (heldUntilOpen) {
            for (DataPacket packet : heldUntilOpen) {
                try {
                    transmit(channel, packet);
                } catch (Exception e) {
                    LOG.atDebug().log(() -> "held data packet not sent: " + e);
                }
            }
            heldUntilOpen.clear();
            reliable = channel;
        }
        reliableOpen.complete(null);
    }

    /** Follows a channel: its opening (for {@code _reliable}) and the packets it carries. */
    void watch(RTCDataChannel channel, boolean isReliable) {
        synchronized (channels) {
            if (closed.getAsBoolean()) {
                channel.dispose();
                return;
            }
            channels.add(channel);
        }
        channel.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {
            }

            @Override
            public void onStateChange() {
                if (isReliable && channel.getState() == RTCDataChannelState.OPEN && reliable == null) {
                    opened(channel);
                }
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                // why: the buffer is native memory valid only during this callback
                int size = buffer.data.remaining();
                if (size > MAX_DATA_PACKET_BYTES || closed.getAsBoolean()) {
                    return;
                }
                byte[] bytes = new byte[size];
                buffer.data.get(bytes);
                try {
                    packets.accept(DataPacket.parseFrom(bytes));
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    LOG.debug("undecodable data packet dropped");
                } catch (RuntimeException e) {
                    LOG.warn("data packet handler failed", e);
                }
            }
        });
    }

    /** Unregisters, closes and disposes every channel; before the peer connections close. */
    void close() {
        synchronized (channels) {
            for (RTCDataChannel channel : channels) {
                try {
                    channel.unregisterObserver();
                    channel.close();
                    channel.dispose();
                } catch (RuntimeException e) {
                    LOG.atDebug().log(() -> "data channel teardown: " + e);
                }
            }
            channels.clear();
            reliable = null;
        }
        synchronized (heldUntilOpen) {
            heldUntilOpen.clear();
        }
    }
}
