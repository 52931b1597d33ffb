package dev.avatarfleet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free port of 127.0.0.1 in front of one server (a redis-server, a broker's listener), that a
 * test can cut: {@link #cut()} drops every byte in both directions while the connections stay open (a network
 * partition: calls time out, nothing is refused), {@link #dropReplies()} forwards requests but drops what the
 * server answers (the server acts, the client never hears it), {@link #dropReplyOnce(String)} does that on the one
 * connection whose request first names a marker (one lost reply), {@link #heal()} forwards again. Plain
 * {@code java.net} sockets, two virtual threads per connection.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to(redis.port())) {
 *     env.put("REDIS_URL", "redis://127.0.0.1:" + proxy.port());
 *     ...
 *     proxy.cut();
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {

    /** What the proxy does with the bytes it reads. */
    public enum Mode {
        /** Forwards both ways. */
        FORWARD,
        /** Drops both ways. */
        CUT,
        /** Forwards client to server, drops server to client. */
        DROP_REPLIES
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;
    private volatile boolean closed;
    private volatile String replyDropMarker;
    private final java.util.concurrent.atomic.AtomicBoolean replyDropped = new java.util.concurrent.atomic.AtomicBoolean();

    private TcpProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
        Thread.ofVirtual().name("tcp-proxy-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    /** A proxy to {@code 127.0.0.1:targetPort}, forwarding. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for a proxy", e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Drops every byte both ways from now on; connections stay open. */
    public void cut() {
        mode = Mode.CUT;
    }

    /** Forwards requests, drops the server's answers, from now on. */
    public void dropReplies() {
        mode = Mode.DROP_REPLIES;
    }

    /**
     * From now on, the first connection whose request contains {@code marker} (e.g. a room name in a claim) gets none
     * of the server's answers any more: that one request is run, its reply is lost, the client times out and drops
     * the connection. Every other connection, and every later request naming the marker, is forwarded.
     */
    public void dropReplyOnce(String marker) {
        replyDropped.set(false);
        replyDropMarker = marker;
    }

    /** Whether {@link #dropReplyOnce(String)} has dropped its reply. */
    public boolean replyDropped() {
        return replyDropped.get() && replyDropMarker == null;
    }

    /** Forwards both ways again (bytes dropped meanwhile stay lost). */
    public void heal() {
        mode = Mode.FORWARD;
    }

    public Mode mode() {
        return mode;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress("127.0.0.1", targetPort), 2000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            java.util.concurrent.atomic.AtomicBoolean deaf = new java.util.concurrent.atomic.AtomicBoolean();
            Thread.ofVirtual().start(() -> pump(client, server, true, deaf));
            Thread.ofVirtual().start(() -> pump(server, client, false, deaf));
        }
    }

    private void pump(Socket from, Socket to, boolean request, java.util.concurrent.atomic.AtomicBoolean deaf) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                String marker = replyDropMarker;
                if (request && marker != null && new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).contains(marker)
                        && replyDropped.compareAndSet(false, true)) {
                    replyDropMarker = null;
                    deaf.set(true);
                }
                Mode m = mode;
                if (!request && deaf.get()) {
                    continue;
                }
                if (m == Mode.FORWARD || (m == Mode.DROP_REPLIES && request)) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // why: either side closed; the other side is closed below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // why: closing; nothing left to do with it
        }
    }
}
