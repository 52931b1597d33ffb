package dev.avatarfleet.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Typed reads of environment variables with defaults; every malformed or out-of-range value fails
 * at once with a {@link SettingsException} that names the variable.
 */
public final class Env {

    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(Objects.requireNonNull(vars, "vars"));
    }

    /** The process environment. */
    public static Env system() {
        return new Env(System.getenv());
    }

    /** The raw value, or null when unset or blank. */
    public String raw(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String string(String name, String defaultValue) {
        String v = raw(name);
        return v == null ? defaultValue : v;
    }

    /** A string of 1..maxLength characters from [A-Za-z0-9._:-]. */
    public String name(String name, String defaultValue, int maxLength) {
        String v = string(name, defaultValue);
        if (v.length() > maxLength || !v.matches("[A-Za-z0-9._:-]+")) {
            throw new SettingsException(name, "must be 1-" + maxLength + " characters of A-Z a-z 0-9 . _ : -, was '" + v + "'");
        }
        return v;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return Math.toIntExact(whole(name, defaultValue, min, max));
    }

    /** A whole number that may exceed an int, such as a byte count. */
    public long whole(String name, long defaultValue, long min, long max) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new SettingsException(name, "must be a whole number between " + min + " and " + max + ", was '" + v + "'");
        }
        if (parsed < min || parsed > max) {
            throw new SettingsException(name, "must be between " + min + " and " + max + ", was " + parsed);
        }
        return parsed;
    }

    /** A comma list; blank entries are dropped, an unset variable is the empty list. */
    public java.util.List<String> list(String name) {
        String v = raw(name);
        if (v == null) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean bool(String name, boolean defaultValue) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new SettingsException(name, "must be true or false, was '" + v + "'");
        };
    }

    public Duration seconds(String name, long defaultSeconds, long min, long max) {
        return Duration.ofSeconds(integer(name, Math.toIntExact(defaultSeconds), Math.toIntExact(min), Math.toIntExact(max)));
    }

    public Duration millis(String name, long defaultMillis, long min, long max) {
        return Duration.ofMillis(integer(name, Math.toIntExact(defaultMillis), Math.toIntExact(min), Math.toIntExact(max)));
    }

    /** A URL with one of the given schemes and a host. */
    public URI url(String name, String defaultValue, Set<String> schemes) {
        String v = string(name, defaultValue);
        try {
            URI uri = new URI(v);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
                throw new SettingsException(name, "must be a URL with scheme " + schemes + " and a host, was '" + v + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new SettingsException(name, "is not a URL: " + e.getMessage());
        }
    }

    /** A comma list of host:port pairs. */
    public String hostPorts(String name, String defaultValue) {
        String v = string(name, defaultValue);
        for (String part : v.split(",")) {
            String p = part.trim();
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new SettingsException(name, "must be host:port[,host:port...], was '" + v + "'");
            }
            try {
                int port = Integer.parseInt(p.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new SettingsException(name, "has a bad port in '" + p + "'");
            }
        }
        return v;
    }
}
