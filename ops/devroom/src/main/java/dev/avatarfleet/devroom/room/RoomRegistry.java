package dev.avatarfleet.devroom.room;

import dev.avatarfleet.devroom.DevRoomConfig;
import livekit.LivekitModels.DisconnectReason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All rooms of one server. Rooms are created on first join and closed after they stayed empty for the grace
 * period; {@link #sweep()} (called once a second by the server) also removes participants whose pings stopped.
 */
public final class RoomRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(RoomRegistry.class);
    private final DevRoomConfig config;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final JoinRateLimiter joinRate;
    private final List<Participant> closing = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param config server settings */
    public RoomRegistry(DevRoomConfig config) {
        this.config = config;
        this.joinRate = new JoinRateLimiter(config.joinsPerSecond(), config.clock());
    }

    /** @return whether one more join may start now (counts it) */
    public boolean admitJoin() {
        return joinRate.tryAcquire();
    }

    /** @param name room name @return the open room of that name, created when absent */
    public synchronized Room open(String name) {
        Room room = rooms.get(name);
        if (room == null || room.isClosed()) {
            room = new Room(name, config);
            rooms.put(name, room);
            LOG.info("room {} created", name);
        }
        return room;
    }

    /** @param name room name @return the room if it exists */
    public Optional<Room> find(String name) {
        return Optional.ofNullable(rooms.get(name));
    }

    /** @return every room */
    public List<Room> all() {
        return new ArrayList<>(rooms.values());
    }

    /** @param name room to delete; everyone in it gets {@code leave(ROOM_DELETED)} @return whether it existed */
    public boolean delete(String name) {
        Room room;
        synchronized (this) {
            room = rooms.remove(name);
        }
        if (room == null) {
            return false;
        }
        room.close(DisconnectReason.ROOM_DELETED);
        return true;
    }

    /** Removes silent participants (no message for the ping timeout) and closes rooms empty past the grace period. */
    public void sweep() {
        Instant now = config.clock().instant();
        for (Room room : all()) {
            for (Participant p : room.participants()) {
                if (p.lastSeen().plus(config.pingTimeout()).isBefore(now)) {
                    LOG.info("participant {} missed its pings, removing", p.identity());
                    room.leave(p, DisconnectReason.SIGNAL_CLOSE, false);
                }
            }
            synchronized (this) {
                if (room.closeIfExpired(now) && rooms.get(room.name()) == room) {
                    rooms.remove(room.name());
                    LOG.info("room {} closed (empty)", room.name());
                }
            }
        }
    }

    /** Closes every room ({@code SERVER_SHUTDOWN}). */
    public void closeAll() {
        List<Room> all;
        synchronized (this) {
            all = new ArrayList<>(rooms.values());
            rooms.clear();
        }
        for (Room r : all) {
            closing.addAll(r.participants());
            r.close(DisconnectReason.SERVER_SHUTDOWN);
        }
    }

    /** @param timeout how long to wait for the participants closed by {@link #closeAll()} to free their media */
    public void awaitClosed(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Participant p : closing) {
            try {
                p.actor().awaitTermination(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
