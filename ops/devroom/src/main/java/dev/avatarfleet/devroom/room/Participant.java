package dev.avatarfleet.devroom.room;

import dev.avatarfleet.devroom.auth.Grants;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitRtc.SignalResponse;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * One connected client: its grants, its presence info, its published tracks and its peer connections. Media
 * and signalling work for it runs on its own serial executor ({@link #run(Runnable)}), so its peer connections
 * never see two operations at once.
 */
public final class Participant {
    private final String sid = Ids.next("PA_");
    private final Grants grants;
    private final ClientDetails client;
    private final SignalChannel signal;
    private final Clock clock;
    private final long joinedAtMs;
    private final ExecutorService actor = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("participant-", 0).factory());
    private final AtomicBoolean gone = new AtomicBoolean();
    private final Map<String, PublishedTrack> tracks = new LinkedHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private volatile ParticipantMedia media;
    private volatile Instant lastSeen;
    private String name;
    private String metadata;
    private Map<String, String> attributes;
    private int version;
    private ParticipantInfo.State state = ParticipantInfo.State.JOINED;
    private DisconnectReason disconnectReason;

    /**
     * @param grants what its token allows
     * @param client what the client said about itself in the URL
     * @param signal its signalling connection
     * @param clock  time source
     */
    public Participant(Grants grants, ClientDetails client, SignalChannel signal, Clock clock) {
        this.grants = grants;
        this.client = client;
        this.signal = signal;
        this.clock = clock;
        this.joinedAtMs = clock.millis();
        this.lastSeen = clock.instant();
        this.name = grants.name();
        this.metadata = grants.metadata();
        this.attributes = new LinkedHashMap<>(grants.attributes());
    }

    /** @return participant sid */
    public String sid() {
        return sid;
    }

    /** @return identity from the token */
    public String identity() {
        return grants.identity();
    }

    /** @return grants from the token */
    public Grants grants() {
        return grants;
    }

    /** @return client details */
    public ClientDetails client() {
        return client;
    }

    /** @param m the peer connections; set once before {@link ParticipantMedia#start()} */
    public void attachMedia(ParticipantMedia m) {
        this.media = m;
    }

    /** @return its peer connections */
    public ParticipantMedia media() {
        return media;
    }

    /** @param r a response for this client */
    public void send(SignalResponse r) {
        if (!gone.get()) {
            signal.send(r);
        }
    }

    SignalChannel signal() {
        return signal;
    }

    /** @param task runs on this participant's serial executor (dropped once it left) */
    public void run(Runnable task) {
        if (actor.isShutdown()) {
            return;
        }
        try {
            actor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(Participant.class).warn("participant {}: {}", identity(), e.toString(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // why: it left while the task was being handed over; nothing to do for a gone participant
        }
    }

    /** Marks a message received now (any message counts as liveness). */
    public void touch() {
        lastSeen = clock.instant();
    }

    /** @return when the last message arrived */
    public Instant lastSeen() {
        return lastSeen;
    }

    boolean markGone() {
        return gone.compareAndSet(false, true);
    }

    /** @return whether it left */
    public boolean isGone() {
        return gone.get();
    }

    ExecutorService actor() {
        return actor;
    }

    Set<String> subscribed() {
        return subscribed;
    }

    /** @return track sids it asked for with UpdateSubscription (kept until their media arrives) */
    Set<String> wanted() {
        return wanted;
    }

    synchronized void disconnected(DisconnectReason reason) {
        state = ParticipantInfo.State.DISCONNECTED;
        disconnectReason = reason;
        version++;
    }

    synchronized void active() {
        state = ParticipantInfo.State.ACTIVE;
        version++;
    }

    synchronized int trackCount() {
        return tracks.size();
    }

    synchronized void addTrack(PublishedTrack t) {
        tracks.put(t.cid, t);
        version++;
    }

    synchronized Optional<PublishedTrack> removeTrack(String trackSid) {
        Optional<PublishedTrack> t = tracks.values().stream().filter(x -> x.info.getSid().equals(trackSid)).findFirst();
        t.ifPresent(x -> {
            tracks.remove(x.cid);
            version++;
        });
        return t;
    }

    synchronized Optional<PublishedTrack> trackByCid(String cid) {
        return Optional.ofNullable(tracks.get(cid));
    }

    synchronized Optional<PublishedTrack> trackBySid(String trackSid) {
        return tracks.values().stream().filter(t -> t.info.getSid().equals(trackSid)).findFirst();
    }

    synchronized List<PublishedTrack> tracks() {
        return new ArrayList<>(tracks.values());
    }

    synchronized void updateTrack(PublishedTrack t, TrackInfo info) {
        t.info = info;
        version++;
    }

    synchronized void updateMetadata(String newName, String newMetadata, Map<String, String> newAttributes) {
        if (newName != null && !newName.isEmpty()) {
            name = newName;
        }
        if (newMetadata != null && !newMetadata.isEmpty()) {
            metadata = newMetadata;
        }
        newAttributes.forEach((k, v) -> {
            // why: LiveKit deletes an attribute that is set to the empty string
            if (v.isEmpty()) {
                attributes.remove(k);
            } else {
                attributes.put(k, v);
            }
        });
        version++;
    }

    /** @return presence info as the other participants see it */
    public synchronized ParticipantInfo info() {
        ParticipantInfo.Builder b = ParticipantInfo.newBuilder()
                .setSid(sid).setIdentity(grants.identity()).setName(name).setMetadata(metadata)
                .setState(state).setJoinedAt(joinedAtMs / 1000).setJoinedAtMs(joinedAtMs)
                .setVersion(version).putAllAttributes(attributes)
                .setKind(grants.agent() ? ParticipantInfo.Kind.AGENT : ParticipantInfo.Kind.STANDARD)
                .setIsPublisher(!tracks.isEmpty()).setClientProtocol(client.clientProtocol())
                .setPermission(ParticipantPermission.newBuilder().setCanSubscribe(grants.canSubscribe())
                        .setCanPublish(grants.canPublish()).setCanPublishData(grants.canPublishData())
                        .setCanUpdateMetadata(grants.canUpdateOwnMetadata()).setAgent(grants.agent()));
        tracks.values().forEach(t -> b.addTracks(t.info));
        if (disconnectReason != null) {
            b.setDisconnectReason(disconnectReason);
        }
        return b.build();
    }

    void shutdownActor() {
        actor.shutdown();
    }

    /** @param task runs on this participant's serial executor @return completes when it ran (or was dropped) */
    java.util.concurrent.CompletableFuture<Void> call(Runnable task) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        run(() -> {
            try {
                task.run();
            } finally {
                done.complete(null);
            }
        });
        if (actor.isShutdown()) {
            done.complete(null);
        }
        return done;
    }
}
