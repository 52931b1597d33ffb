package dev.avatarfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1 for servers started by tests and the local stack. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port that was free a moment ago. There is a small race until the caller binds it, so
     * callers that start a server retry once on a bind failure.
     */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
