package dev.avatarfleet.worker.session;

import java.util.List;

/** What a running session tells the worker that claimed it (which writes it to the task record). */
public interface SessionEvents {

    /** The avatar is in the room and publishing; the task becomes {@code running}. */
    void running();

    /** Notes for the task record's {@code warnings} list (e.g. no face found). */
    void warnings(List<String> warnings);

    /** The session is over and every resource it held is released. Called exactly once. */
    void ended(SessionEnd end);
}
