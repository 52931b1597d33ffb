package dev.avatarfleet.worker.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of the dev room's signalling port that the test can cut: every open connection
 * is dropped and new ones are refused for a while, as when a network path fails for a few seconds.
 * Only the signalling goes through it; media flows directly between the peer connections.
 */
final class FlakyLink implements AutoCloseable {

    private final InetAddress host;
    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    private volatile boolean closed;

    FlakyLink(String host, int targetPort) throws IOException {
        this.host = InetAddress.getByName(host);
        this.targetPort = targetPort;
        ServerSocket s = bind(0);
        this.port = s.getLocalPort();
        listen(s);
    }

    int port() {
        return port;
    }

    /** Drops every connection and refuses new ones for {@code outage}. */
    void cut(Duration outage) throws IOException, InterruptedException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
        open.clear();
        Thread.sleep(outage.toMillis());
        if (!closed) {
            listen(bind(port));
        }
    }

    private ServerSocket bind(int p) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(host, p));
        return s;
    }

    private void listen(ServerSocket s) {
        listener = s;
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(host, targetPort);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the link was cut
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
