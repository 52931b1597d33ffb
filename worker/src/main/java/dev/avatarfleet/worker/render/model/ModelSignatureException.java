package dev.avatarfleet.worker.render.model;

/** The model in {@code MODEL_DIR} cannot be used; the message names what is wrong. Stops the worker at start. */
public final class ModelSignatureException extends RuntimeException {
    public ModelSignatureException(String message) {
        super(message);
    }

    public ModelSignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
