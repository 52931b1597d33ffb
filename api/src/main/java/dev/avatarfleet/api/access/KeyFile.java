package dev.avatarfleet.api.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code API_KEYS_FILE}: hashed keys, one a line, {@code #} comments and blank lines ignored:
 * <pre>
 * 3f9a0c1d2e4b tenant=acme role=tenant salt=... sha256=... created_at=2026-01-01T12:00:00Z [rate_per_minute=N] [rate_burst=N] [max_sessions=N]
 * </pre>
 * Written by {@code ops/stack key create --file} (or by hand from its output); it holds no key, only hashes.
 */
public final class KeyFile {

    private final Path path;

    public KeyFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The file's text, or empty text when it does not exist. */
    String read() throws IOException {
        return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
    }

    /** The keys in {@code text}; IllegalArgumentException naming the first bad line (by number, not its content). */
    static Map<String, ApiKey> parse(String text) {
        Map<String, ApiKey> keys = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                ApiKey key = parseLine(line);
                if (keys.put(key.id(), key) != null) {
                    throw new IllegalArgumentException("key id " + key.id() + " given twice");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    /** Every key of the file. */
    public Map<String, ApiKey> keys() throws IOException {
        return parse(read());
    }

    private static ApiKey parseLine(String line) {
        String[] parts = line.split("\\s+");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int j = 1; j < parts.length; j++) {
            int eq = parts[j].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected name=value, not a bare word");
            }
            fields.put(parts[j].substring(0, eq), parts[j].substring(eq + 1));
        }
        return ApiKey.fromFields(parts[0], fields, "file");
    }

    static String line(ApiKey key) {
        StringBuilder sb = new StringBuilder(key.id());
        key.fields().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    /** Appends a key (the file is made, owner-readable only, when missing). */
    public void add(ApiKey key) throws IOException {
        Map<String, ApiKey> keys = keys();
        if (keys.containsKey(key.id())) {
            throw new IllegalArgumentException("key id " + key.id() + " is in " + path + " already");
        }
        String text = read();
        String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        write(text + sep + line(key) + "\n");
    }

    /** Removes the key {@code id}; false when the file has none. */
    public boolean remove(String id) throws IOException {
        String text = read();
        List<String> kept = new ArrayList<>();
        boolean removed = false;
        for (String l : text.split("\n", -1)) {
            String s = l.strip();
            if (!s.startsWith("#") && (s.equals(id) || s.startsWith(id + " "))) {
                removed = true;
            } else {
                kept.add(l);
            }
        }
        if (removed) {
            write(String.join("\n", kept));
        }
        return removed;
    }

    /** why: written beside and moved over, so a node reading it mid-write sees the old file or the new, never half. */
    private void write(String text) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".api-keys", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: its default permissions stay
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
