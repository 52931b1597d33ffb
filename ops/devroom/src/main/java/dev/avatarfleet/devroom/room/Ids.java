package dev.avatarfleet.devroom.room;

import java.security.SecureRandom;

/** LiveKit-style ids: a prefix ({@code RM_}, {@code PA_}, {@code TR_}) and 12 random base-62 characters. */
public final class Ids {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** @param prefix e.g. "PA_" @return a fresh id */
    public static String next(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 12; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
