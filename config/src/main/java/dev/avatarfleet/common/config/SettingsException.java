package dev.avatarfleet.common.config;

/** A setting from the environment is malformed or out of range; the message names the variable and how to fix it. */
// why: a bad setting is a bad argument; callers that only know IllegalArgumentException still catch it
public final class SettingsException extends IllegalArgumentException {

    private final String variable;

    public SettingsException(String variable, String message) {
        super(variable + ": " + message);
        this.variable = variable;
    }

    /** The environment variable at fault. */
    public String variable() {
        return variable;
    }
}
