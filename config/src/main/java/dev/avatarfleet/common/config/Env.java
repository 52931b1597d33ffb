package dev.avatarfleet.common.config;

import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environment a process reads its settings from: every setting is read with {@link #get(Setting)}
 * against its one declaration, so a malformed or out-of-range value fails at once with a
 * {@link SettingsException} that names the variable. Tests pass their own map; {@link #system()} is
 * the only place that touches the process environment.
 */
public final class Env {

    private static final Logger LOG = LoggerFactory.getLogger(Env.class);

    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(Objects.requireNonNull(vars, "vars"));
    }

    /** The process environment. */
    public static Env system() {
        return new Env(System.getenv());
    }

    /** The setting's value: its default when unset (or blank). */
    public <T> T get(Setting<T> setting) {
        String variable = variableOf(setting);
        return variable == null ? setting.defaultValue() : setting.parse(variable, raw(variable));
    }

    /**
     * The setting's value, with a default only known where it is read (the host name, a port read
     * before it); the default is checked like a value.
     */
    public <T> T get(Setting<T> setting, String computedDefault) {
        String variable = variableOf(setting);
        return variable == null ? setting.parse(setting.name(), computedDefault) : setting.parse(variable, raw(variable));
    }

    /**
     * The raw value of a variable that is not a setting of this project (such as {@code PATH}), or null
     * when unset or blank. Settings are read with {@link #get(Setting)}.
     */
    public String raw(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** Which variable holds the setting's value: its name, else its deprecated alias, else none (null). */
    private String variableOf(Setting<?> setting) {
        boolean set = raw(setting.name()) != null;
        String alias = setting.alias();
        if (alias == null || raw(alias) == null) {
            return set ? setting.name() : null;
        }
        if (set) {
            LOG.warn("{} is deprecated and ignored: {} is set", alias, setting.name());
            return setting.name();
        }
        LOG.warn("{} is deprecated: set {} instead (read from {} this time)", alias, setting.name(), alias);
        return alias;
    }
}
