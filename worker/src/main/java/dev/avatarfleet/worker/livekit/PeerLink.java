package dev.avatarfleet.worker.livekit;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the two peer connections of a v0 LiveKit participant, with webrtc-java's callbacks turned
 * into futures and remote ICE candidates held back until the remote description is set.
 */
final class PeerLink {

    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    /** Remote candidates held before the remote description; more are dropped. */
    private static final int MAX_PENDING_CANDIDATES = 64;

    final String name;
    private RTCPeerConnection pc;
    private final List<RTCIceCandidate> pendingCandidates = new ArrayList<>();
    private boolean remoteSet;

    PeerLink(String name) {
        this.name = name;
    }

    void attach(RTCPeerConnection pc) {
        this.pc = pc;
    }

    RTCPeerConnection pc() {
        return pc;
    }

    CompletableFuture<RTCSessionDescription> offer() {
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), observer(f, "offer"));
        return f;
    }

    CompletableFuture<RTCSessionDescription> answer() {
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        pc.createAnswer(new RTCAnswerOptions(), observer(f, "answer"));
        return f;
    }

    CompletableFuture<Void> setLocal(RTCSessionDescription description) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.setLocalDescription(description, setter(f, "local description"));
        return f;
    }

    CompletableFuture<Void> setRemote(RTCSessionDescription description) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pc.setRemoteDescription(description, setter(f, "remote description"));
        return f.thenRun(this::flushCandidates);
    }

    synchronized void addRemoteCandidate(RTCIceCandidate candidate) {
        if (remoteSet) {
            pc.addIceCandidate(candidate);
        } else if (pendingCandidates.size() < MAX_PENDING_CANDIDATES) {
            pendingCandidates.add(candidate);
        }
    }

    private synchronized void flushCandidates() {
        remoteSet = true;
        for (RTCIceCandidate c : pendingCandidates) {
            pc.addIceCandidate(c);
        }
        pendingCandidates.clear();
    }

    /** Detaches every sender's track (so tracks can be disposed) and closes the connection. */
    void close() {
        RTCPeerConnection p = pc;
        pc = null;
        if (p == null) {
            return;
        }
        try {
            for (RTCRtpSender sender : p.getSenders()) {
                // why: webrtc-java 0.14 never releases a closed PeerConnection; a track still on a
                // sender then cannot be disposed (reference: webrtc-java.md pitfall 3)
                sender.replaceTrack(null);
            }
        } catch (RuntimeException e) {
            LOG.atDebug().log(() -> name + ": detaching senders failed: " + e);
        }
        p.close();
    }

    private CreateSessionDescriptionObserver observer(CompletableFuture<RTCSessionDescription> f, String what) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                f.complete(description);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new IllegalStateException(name + ": create " + what + " failed: " + error));
            }
        };
    }

    private SetSessionDescriptionObserver setter(CompletableFuture<Void> f, String what) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                f.complete(null);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new IllegalStateException(name + ": set " + what + " failed: " + error));
            }
        };
    }
}
