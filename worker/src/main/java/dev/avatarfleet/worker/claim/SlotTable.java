package dev.avatarfleet.worker.claim;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.avatarfleet.common.store.HeldClaim;
import dev.avatarfleet.common.task.LaunchSpec;
import dev.avatarfleet.worker.session.AvatarSession;

/**
 * The worker's {@code MAX_SESSIONS} slots. A slot is reserved before a task is claimed and freed
 * when its session has ended, so the worker never holds more sessions than it has slots. A slot
 * whose claim succeeded carries the launch it runs (what the heartbeat names to Redis); a session
 * stopped to hand its task over to another worker is marked so, and its end is a hand-back.
 */
public final class SlotTable {

    private final int capacity;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int highWater;

    public SlotTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more");
        }
        this.capacity = capacity;
    }

    /** Takes a slot for the task; false when all are taken (or the task already has one). */
    public boolean tryReserve(String taskId) {
        lock.lock();
        try {
            if (slots.size() >= capacity || slots.containsKey(taskId)) {
                return false;
            }
            slots.put(taskId, new Slot());
            highWater = Math.max(highWater, slots.size());
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Frees the task's slot. */
    public void release(String taskId) {
        lock.lock();
        try {
            if (slots.remove(taskId) != null) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records that the task's claim succeeded: the slot runs this launch (this attempt) from now on. */
    public void claimed(String taskId, LaunchSpec spec) {
        Slot slot = slots.get(taskId);
        if (slot != null) {
            synchronized (slot) {
                slot.spec = spec;
            }
        }
    }

    /** The launch a claimed slot runs. */
    public Optional<LaunchSpec> spec(String taskId) {
        Slot slot = slots.get(taskId);
        if (slot == null) {
            return Optional.empty();
        }
        synchronized (slot) {
            return Optional.ofNullable(slot.spec);
        }
    }

    /** The claims this worker holds (slots whose claim succeeded), as the heartbeat names them. */
    public List<HeldClaim> claims() {
        List<HeldClaim> out = new java.util.ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            synchronized (e.getValue()) {
                LaunchSpec spec = e.getValue().spec;
                if (spec != null) {
                    out.add(new HeldClaim(e.getKey(), spec.attempt(), spec.imageHash()));
                }
            }
        }
        return out;
    }

    /** Attaches the started session; stops it at once if a stop arrived while it was starting. */
    public void attach(String taskId, AvatarSession session) {
        Slot slot = slots.get(taskId);
        if (slot == null) {
            return;
        }
        String pendingStop;
        synchronized (slot) {
            slot.session = session;
            pendingStop = slot.stopReason;
        }
        if (pendingStop != null) {
            session.stop(pendingStop);
        }
    }

    /** Asks the task's session to stop; remembered if the session is still starting. False if this worker does not hold it. */
    public boolean stop(String taskId, String reason) {
        Slot slot = slots.get(taskId);
        if (slot == null) {
            return false;
        }
        AvatarSession session;
        synchronized (slot) {
            if (slot.stopReason == null) {
                slot.stopReason = reason;
            }
            session = slot.session;
        }
        if (session != null) {
            session.stop(reason);
        }
        return true;
    }

    /** Asks every session to stop. */
    public void stopAll(String reason) {
        for (String id : List.copyOf(slots.keySet())) {
            stop(id, reason);
        }
    }

    /**
     * Stops the task's session to hand the task over to another worker: its end is written as a hand-back (pending
     * again, next attempt), not as cancelled. False if this worker does not hold it.
     */
    public boolean handOver(String taskId, String reason) {
        Slot slot = slots.get(taskId);
        if (slot == null) {
            return false;
        }
        synchronized (slot) {
            slot.handOver = true;
        }
        return stop(taskId, reason);
    }

    /** Hands every session over ({@link #handOver}) that is not being handed over yet. */
    public void handOverAll(String reason) {
        for (String id : List.copyOf(slots.keySet())) {
            if (!handingOver(id)) {
                handOver(id, reason);
            }
        }
    }

    /** Whether the task's session was stopped to hand it over. */
    public boolean handingOver(String taskId) {
        Slot slot = slots.get(taskId);
        if (slot == null) {
            return false;
        }
        synchronized (slot) {
            return slot.handOver;
        }
    }

    public int active() {
        return slots.size();
    }

    /**
     * Held slots whose session was asked to stop (a stop, a hand-over, the fencing of a worker cut off from Redis):
     * the session is leaving or gone, the slot stays held until its end is written.
     */
    public int stopping() {
        int n = 0;
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                if (slot.stopReason != null) {
                    n++;
                }
            }
        }
        return n;
    }

    public int free() {
        return capacity - slots.size();
    }

    public int capacity() {
        return capacity;
    }

    /** The most slots ever held at once. */
    public int highWater() {
        lock.lock();
        try {
            return highWater;
        } finally {
            lock.unlock();
        }
    }

    public boolean holds(String taskId) {
        return slots.containsKey(taskId);
    }

    /**
     * The tasks whose session has started (attached). Each of them was claimed before it was
     * attached, so a claim read from Redis after this snapshot must list it.
     */
    public List<String> attached() {
        List<String> out = new java.util.ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            synchronized (e.getValue()) {
                if (e.getValue().session != null) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    /** Waits until a slot is free or the timeout passes; true if one is free. */
    public boolean awaitFree(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitUntil(() -> slots.size() < capacity, unit.toNanos(timeout));
    }

    /** Waits until the task's slot is freed or the timeout passes; true if it is free. */
    public boolean awaitReleased(String taskId, long timeout, TimeUnit unit) throws InterruptedException {
        return awaitUntil(() -> !slots.containsKey(taskId), unit.toNanos(timeout));
    }

    /** Waits until no slot is held or the timeout passes; true if empty. */
    public boolean awaitEmpty(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitUntil(slots::isEmpty, unit.toNanos(timeout));
    }

    private static final class Slot {
        AvatarSession session;
        String stopReason;
        LaunchSpec spec;
        boolean handOver;
    }

    /** Waits, under the lock, until {@code done} holds or {@code nanos} pass; whether it holds. */
    private boolean awaitUntil(java.util.function.BooleanSupplier done, long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
