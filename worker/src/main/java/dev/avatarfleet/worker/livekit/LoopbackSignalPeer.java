package dev.avatarfleet.worker.livekit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The far end of {@link ConnectionWarmup}'s signalling round: it accepts ONE WebSocket upgrade on
 * 127.0.0.1 (RFC 6455 handshake), sends one binary message (bytes given), reads what the client sends
 * until it closes, and ends. Not a LiveKit server and never reachable from outside this process: it only
 * exists so that the JDK WebSocket client and {@link SignalClient} run their whole path once at start.
 */
final class LoopbackSignalPeer implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final int SO_TIMEOUT_MS = 3_000;

    private final ServerSocket server;
    private final byte[] message;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private LoopbackSignalPeer(ServerSocket server, byte[] message) {
        this.server = server;
        this.message = message;
    }

    /** Listens on an ephemeral loopback port and serves one connection on a virtual thread. */
    static LoopbackSignalPeer start(byte[] message) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setSoTimeout(SO_TIMEOUT_MS);
        LoopbackSignalPeer peer = new LoopbackSignalPeer(server, message);
        Thread.ofVirtual().name("warmup-signal-peer").start(peer::serveOne);
        return peer;
    }

    /** {@code ws://127.0.0.1:PORT} */
    String url() {
        return "ws://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /** Completes when the one connection has ended (normally or not). */
    CompletableFuture<Void> done() {
        return done;
    }

    private void serveOne() {
        try (Socket s = server.accept()) {
            s.setSoTimeout(SO_TIMEOUT_MS);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String key = upgradeKey(readHeader(in));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(frame(0x2, message));
            out.flush();
            // why: read (and drop) the client's frames until its close frame or EOF, so the client's send path runs too
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (containsClose(buf, n)) {
                    out.write(frame(0x8, new byte[] {0x03, (byte) 0xE8}));
                    out.flush();
                    break;
                }
            }
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
        } finally {
            close();
        }
    }

    private static String readHeader(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || header.size() >= MAX_HEADER_BYTES) {
                throw new IOException("no complete upgrade request");
            }
            header.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return header.toString(StandardCharsets.US_ASCII);
    }

    private static String upgradeKey(String header) throws IOException {
        for (String line : header.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                return line.substring(colon + 1).trim();
            }
        }
        throw new IOException("upgrade request without Sec-WebSocket-Key");
    }

    static String accept(String key) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One unmasked server frame (FIN set), payloads up to 64 KiB. */
    static byte[] frame(int opcode, byte[] payload) {
        if (payload.length > 0xFFFF) {
            throw new IllegalArgumentException("warm-up message too long: " + payload.length);
        }
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 4);
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(payload.length);
        } else {
            f.write(126);
            f.write(payload.length >> 8);
            f.write(payload.length & 0xFF);
        }
        f.writeBytes(payload);
        return f.toByteArray();
    }

    /** Whether a chunk of client frames holds a close frame's first byte (FIN + opcode 8), good enough here. */
    private static boolean containsClose(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            if ((buf[i] & 0xFF) == 0x88) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // why: nothing to do about a loopback socket that will not close; it is gone with the process
        }
    }
}
