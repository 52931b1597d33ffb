package dev.avatarfleet.common.fleet;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/** Tells whether a worker's process is gone: its {@code WORKER_URL} actively refuses TCP connections. */
@FunctionalInterface
public interface WorkerProbe {

    /** True only when a connection to {@code url} was refused (a reset); a timeout, an answer or a bad URL is false. */
    boolean refuses(String url);

    /** Connects with this timeout; only {@link ConnectException} (connection refused) counts. */
    static WorkerProbe tcp(Duration timeout) {
        return url -> {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (uri.getHost() == null) {
                return false;
            }
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.max(50, timeout.toMillis()));
                return false;
            } catch (ConnectException e) {
                // why: "connection refused" is a reset from a live host with nothing on the port: the process is gone
                return e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused");
            } catch (IOException e) {
                return false;
            }
        };
    }

    /** Never confirms: the reaper waits for the full dead-worker timeout. */
    static WorkerProbe never() {
        return url -> false;
    }
}
