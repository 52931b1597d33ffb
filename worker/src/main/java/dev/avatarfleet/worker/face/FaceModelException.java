package dev.avatarfleet.worker.face;

/**
 * A face model's files are missing, truncated, or not the weights the network needs. The message names the
 * model, the file or weight, and what was expected, so an operator can tell a bad copy from a wrong package.
 */
public final class FaceModelException extends RuntimeException {

    public FaceModelException(String message) {
        super(message);
    }

    public FaceModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
