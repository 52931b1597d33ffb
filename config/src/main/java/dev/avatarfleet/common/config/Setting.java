package dev.avatarfleet.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one declaration of a setting read from the environment: its name, the values it allows, its
 * default, one line on what it means, and which processes read it. Settings records read every value
 * with {@link Env#get(Setting)}; the README's settings tables are generated from these declarations
 * ({@code ops/settings-table}), so the documentation cannot drift from the code.
 *
 * <pre>{@code
 * public static final Setting<Integer> MAX_SESSIONS = Setting.integer("MAX_SESSIONS", 8, 1, 1024)
 *         .readBy(Node.WORKER).means("concurrent sessions on this worker");
 * int slots = env.get(MAX_SESSIONS);   // 8 when unset; SettingsException naming MAX_SESSIONS when not 1..1024
 * }</pre>
 *
 * @param <T> the type of the value read
 */
public final class Setting<T> {

    /** Turns a variable's raw (trimmed, non-blank) value into the setting's value, or says why not. */
    @FunctionalInterface
    interface Parser<T> {
        /** @param variable the name the value came from, for the message */
        T parse(String variable, String value);
    }

    private static final String IDENTIFIER = "[A-Za-z0-9._:-]+";

    private final String name;
    private final String allowed;
    private final T defaultValue;
    private final String defaultText;
    private final String meaning;
    private final Set<Node> readBy;
    private final String deprecatedAlias;
    private final Parser<T> parser;

    private Setting(String name, String allowed, T defaultValue, String defaultText, String meaning, Set<Node> readBy,
                    String deprecatedAlias, Parser<T> parser) {
        this.name = requireName(name);
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.defaultValue = defaultValue;
        this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
        this.meaning = meaning;
        this.readBy = readBy;
        this.deprecatedAlias = deprecatedAlias;
        this.parser = parser;
    }

    private static Setting<String> of(String name, String allowed, String defaultValue, Parser<String> parser) {
        return new Setting<>(name, allowed, defaultValue, defaultValue == null ? "(unset)" : code(defaultValue), null,
                Set.of(), null, parser);
    }

    // ------------------------------------------------------------------ kinds

    /** A whole number in {@code min..max}. */
    public static Setting<Integer> integer(String name, int defaultValue, int min, int max) {
        checkDefault(name, defaultValue, min, max);
        return new Setting<>(name, min + ".." + max, defaultValue, code(String.valueOf(defaultValue)), null, Set.of(), null,
                (variable, value) -> Math.toIntExact(parseWhole(variable, value, min, max)));
    }

    /** A whole number that may exceed an int (a byte count), in {@code min..max}. */
    public static Setting<Long> whole(String name, long defaultValue, long min, long max) {
        checkDefault(name, defaultValue, min, max);
        return new Setting<>(name, min + ".." + max, defaultValue, code(String.valueOf(defaultValue)), null, Set.of(), null,
                (variable, value) -> parseWhole(variable, value, min, max));
    }

    /** A number of seconds in {@code min..max}. */
    public static Setting<Duration> seconds(String name, long defaultSeconds, long min, long max) {
        checkDefault(name, defaultSeconds, min, max);
        return new Setting<>(name, min + ".." + max + " s", Duration.ofSeconds(defaultSeconds), code(String.valueOf(defaultSeconds)),
                null, Set.of(), null, (variable, value) -> Duration.ofSeconds(parseWhole(variable, value, min, max)));
    }

    /** A number of milliseconds in {@code min..max}. */
    public static Setting<Duration> millis(String name, long defaultMillis, long min, long max) {
        checkDefault(name, defaultMillis, min, max);
        return new Setting<>(name, min + ".." + max + " ms", Duration.ofMillis(defaultMillis), code(String.valueOf(defaultMillis)),
                null, Set.of(), null, (variable, value) -> Duration.ofMillis(parseWhole(variable, value, min, max)));
    }

    /** {@code true} or {@code false} (also 1/0, yes/no, on/off). */
    public static Setting<Boolean> bool(String name, boolean defaultValue) {
        return new Setting<>(name, "true, false", defaultValue, code(String.valueOf(defaultValue)), null, Set.of(), null,
                Setting::parseBool);
    }

    /** Any text; {@code defaultValue} may be null (unset). */
    public static Setting<String> text(String name, String defaultValue) {
        return of(name, "text", defaultValue, (variable, value) -> value);
    }

    /** 1..{@code maxLength} characters of {@code A-Z a-z 0-9 . _ : -} (a key prefix, a topic, an id). */
    public static Setting<String> identifier(String name, String defaultValue, int maxLength) {
        Parser<String> parser = (variable, value) -> {
            if (value.length() > maxLength || !value.matches(IDENTIFIER)) {
                throw new SettingsException(variable, "must be 1-" + maxLength + " characters of A-Z a-z 0-9 . _ : -, was '" + value + "'");
            }
            return value;
        };
        if (defaultValue != null) {
            parser.parse(name, defaultValue);
        }
        return of(name, "1-" + maxLength + " of A-Z a-z 0-9 . _ : -", defaultValue, parser);
    }

    /** One of {@code choices}, any case; read in lower case. */
    public static Setting<String> choice(String name, String defaultValue, String... choices) {
        List<String> allowedValues = List.of(choices);
        if (!allowedValues.contains(defaultValue)) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " is not one of " + allowedValues);
        }
        return of(name, String.join(", ", allowedValues), defaultValue, (variable, value) -> {
            String lower = value.toLowerCase(Locale.ROOT);
            if (!allowedValues.contains(lower)) {
                throw new SettingsException(variable, "must be one of " + String.join(", ", allowedValues) + ", was '" + value + "'");
            }
            return lower;
        });
    }

    /** A comma list; blank entries are dropped; unset is the empty list. */
    public static Setting<List<String>> list(String name) {
        return new Setting<>(name, "comma list", List.of(), "(empty)", null, Set.of(), null,
                (variable, value) -> Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    /** A URL with one of {@code schemes} and a host. */
    public static Setting<URI> url(String name, String defaultValue, Set<String> schemes) {
        Parser<URI> parser = (variable, value) -> parseUrl(variable, value, schemes);
        URI parsedDefault = defaultValue == null ? null : parser.parse(name, defaultValue);
        return new Setting<>(name, "URL (" + String.join(", ", new TreeSet<>(schemes)) + ")", parsedDefault,
                defaultValue == null ? "(unset)" : code(defaultValue), null, Set.of(), null, parser);
    }

    /** A comma list of {@code host:port} pairs. */
    public static Setting<String> hostPorts(String name, String defaultValue) {
        Parser<String> parser = Setting::parseHostPorts;
        parser.parse(name, defaultValue);
        return of(name, "host:port[,host:port...]", defaultValue, parser);
    }

    /** A file system path; its default, when it has one, comes from where it is read ({@link Env#get(Setting, String)}). */
    public static Setting<Path> path(String name) {
        return new Setting<>(name, "path", null, "(unset)", null, Set.of(), null, (variable, value) -> {
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw new SettingsException(variable, "is not a path: " + e.getMessage());
            }
        });
    }

    /**
     * A variable this project documents but does not read itself (a native library does, e.g.
     * {@code CUDA_VISIBLE_DEVICES}); reading it through {@link Env} gives its raw text.
     */
    public static Setting<String> external(String name, String readBy) {
        return of(name, "read by " + readBy, null, (variable, value) -> value);
    }

    // ------------------------------------------------------------------ documentation

    /** The same setting with its one-line meaning, as the README shows it. */
    public Setting<T> means(String text) {
        return new Setting<>(name, allowed, defaultValue, defaultText, Objects.requireNonNull(text, "text"), readBy, deprecatedAlias, parser);
    }

    /** The same setting, read by these processes. */
    public Setting<T> readBy(Node first, Node... more) {
        return new Setting<>(name, allowed, defaultValue, defaultText, meaning, Set.copyOf(EnumSet.of(first, more)), deprecatedAlias, parser);
    }

    /** The same setting with its default described in words (a computed or a long default). */
    public Setting<T> documentedDefault(String text) {
        return new Setting<>(name, allowed, defaultValue, Objects.requireNonNull(text, "text"), meaning, readBy, deprecatedAlias, parser);
    }

    /** The same setting with the values it allows described in words. */
    public Setting<T> documentedAllowed(String text) {
        return new Setting<>(name, Objects.requireNonNull(text, "text"), defaultValue, defaultText, meaning, readBy, deprecatedAlias, parser);
    }

    /**
     * The same setting, also read under an older name while the new one is unset; reading it that way logs a
     * warning that names the new one.
     */
    public Setting<T> deprecatedAlias(String oldName) {
        return new Setting<>(name, allowed, defaultValue, defaultText, meaning, readBy, requireName(oldName), parser);
    }

    public String name() {
        return name;
    }

    /** The values it allows, in words ("1..1024", "true, false", "URL (redis, rediss)"). */
    public String allowed() {
        return allowed;
    }

    /** Its default as the README shows it. */
    public String defaultText() {
        return defaultText;
    }

    /** One line on what it means; null until {@link #means(String)} is given. */
    public String meaning() {
        return meaning;
    }

    /** The processes that read it. */
    public Set<Node> readers() {
        return readBy;
    }

    /** The older name still read in its place, or null. */
    public String alias() {
        return deprecatedAlias;
    }

    /** The value when the variable is unset; null for a setting without one. */
    public T defaultValue() {
        return defaultValue;
    }

    T parse(String variable, String value) {
        return parser.parse(variable, value);
    }

    @Override
    public String toString() {
        return name;
    }

    // ------------------------------------------------------------------ parsing

    private static long parseWhole(String variable, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new SettingsException(variable, "must be a whole number between " + min + " and " + max + ", was '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new SettingsException(variable, "must be between " + min + " and " + max + ", was " + parsed);
        }
        return parsed;
    }

    private static boolean parseBool(String variable, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new SettingsException(variable, "must be true or false, was '" + value + "'");
        };
    }

    private static URI parseUrl(String variable, String value, Set<String> schemes) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
                throw new SettingsException(variable, "must be a URL with scheme " + schemes + " and a host, was '" + Redact.url(value) + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            // why: the parser's message quotes the input, which may hold a password
            throw new SettingsException(variable, "is not a URL (" + e.getReason() + "): '" + Redact.url(value) + "'");
        }
    }

    private static String parseHostPorts(String variable, String value) {
        for (String part : value.split(",")) {
            String p = part.trim();
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new SettingsException(variable, "must be host:port[,host:port...], was '" + value + "'");
            }
            try {
                int port = Integer.parseInt(p.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new SettingsException(variable, "has a bad port in '" + p + "'");
            }
        }
        return value;
    }

    private static void checkDefault(String name, long defaultValue, long min, long max) {
        if (defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " is outside " + min + ".." + max);
        }
    }

    private static String requireName(String name) {
        if (name == null || !name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("a setting's name is an upper-case environment variable name, was " + name);
        }
        return name;
    }

    private static String code(String text) {
        return text.isEmpty() ? "(empty)" : "`" + text + "`";
    }
}
