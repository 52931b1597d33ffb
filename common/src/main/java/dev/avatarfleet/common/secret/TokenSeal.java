package dev.avatarfleet.common.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over one secret text, bound to what it belongs to (associated data: the task id), so a sealed
 * token copied into another task's record does not open. The sealed form is text:
 * {@code v1.<key id>.<base64url(12-byte nonce | ciphertext | 16-byte tag)>}.
 */
public final class TokenSeal {

    private static final String PREFIX = "v1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a sealed text did not open: its key is not known here, or it is not a sealed text of ours, or it was altered. */
    public static final class SealException extends Exception {
        SealException(String message) {
            super(message, null, false, false);
        }
    }

    private TokenSeal() {
    }

    /** {@code secret} sealed under {@code key}, bound to {@code associatedData}; a fresh nonce each time. */
    public static String seal(LaunchRecordKey key, String secret, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            gcm.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = gcm.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + key.id() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * The secret in {@code sealed}, opened with the key its id names ({@code keys} finds it), checked against
     * {@code associatedData}.
     */
    public static String open(String sealed, String associatedData, Function<String, Optional<LaunchRecordKey>> keys)
            throws SealException {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new SealException("not a sealed token (no v1. prefix)");
        }
        int dot = sealed.indexOf('.', PREFIX.length());
        if (dot < 0) {
            throw new SealException("not a sealed token (no key id)");
        }
        String keyId = sealed.substring(PREFIX.length(), dot);
        LaunchRecordKey key = keys.apply(keyId).orElseThrow(() -> new SealException("sealed under key " + keyId
                + ", which this node does not hold (is LAUNCH_RECORD_KEY the same on every node?)"));
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(sealed.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new SealException("not a sealed token (bad base64)");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealException("not a sealed token (too short)");
        }
        try {
            Cipher gcm = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(raw, NONCE_BYTES));
            gcm.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(gcm.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealException("the sealed token does not open under key " + keyId + " for this task (altered, or another task's)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private static Cipher cipher(int mode, LaunchRecordKey key, byte[] nonce) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return gcm;
    }
}
