package dev.avatarfleet.devroom.auth;

/** A token was missing, malformed, badly signed, expired, or does not grant what was asked (HTTP 401). */
public final class TokenRejected extends Exception {
    /** @param message why, safe to show to the client */
    public TokenRejected(String message) {
        super(message);
    }
}
