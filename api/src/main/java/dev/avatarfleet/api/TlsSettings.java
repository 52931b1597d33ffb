package dev.avatarfleet.api;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.SettingsException;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS on the API node, on when a certificate is given: either PEM files (a certificate chain and
 * its unencrypted PKCS#8 key) or a PKCS#12 keystore; neither set means plain HTTP (the default,
 * e.g. behind a proxy that terminates TLS). A half-given or unreadable setting stops the node at start.
 *
 * @param certChain        API_TLS_CERT: PEM certificate chain, the server's certificate first
 * @param key              API_TLS_KEY: PEM private key (PKCS#8, "BEGIN PRIVATE KEY") of that certificate
 * @param keystore         API_TLS_KEYSTORE: PKCS#12 file with the key and its chain (instead of the two above)
 * @param keystorePassword API_TLS_KEYSTORE_PASSWORD: the keystore's password (never logged)
 */
public record TlsSettings(Path certChain, Path key, Path keystore, String keystorePassword) {
    /** No TLS: the node speaks plain HTTP. */
    public static final TlsSettings NONE = new TlsSettings(null, null, null, null);

    /** Reads the four variables above; throws naming the variable that is wrong. */
    public static TlsSettings from(Env env) {
        Path cert = file(env, "API_TLS_CERT");
        Path key = file(env, "API_TLS_KEY");
        Path keystore = file(env, "API_TLS_KEYSTORE");
        String password = env.raw("API_TLS_KEYSTORE_PASSWORD");
        if ((cert == null) != (key == null)) {
            throw new SettingsException(cert == null ? "API_TLS_CERT" : "API_TLS_KEY",
                    "must be set together with " + (cert == null ? "API_TLS_KEY" : "API_TLS_CERT"));
        }
        if (keystore != null && cert != null) {
            throw new SettingsException("API_TLS_KEYSTORE", "is an alternative to API_TLS_CERT and API_TLS_KEY; set one or the other");
        }
        if (password != null && keystore == null) {
            throw new SettingsException("API_TLS_KEYSTORE_PASSWORD", "is set but API_TLS_KEYSTORE is not");
        }
        return new TlsSettings(cert, key, keystore, password);
    }

    private static Path file(Env env, String name) {
        String value = env.raw(name);
        if (value == null) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path) || !Files.isRegularFile(path)) {
            throw new SettingsException(name, "must name a readable file, was '" + value + "'");
        }
        return path;
    }

    /** True when the node serves HTTPS. */
    public boolean enabled() {
        return certChain != null || keystore != null;
    }

    /** Helidon's server TLS from these files, or empty for plain HTTP; a key that cannot be read stops the start. */
    public Optional<Tls> serverTls() {
        if (!enabled()) {
            return Optional.empty();
        }
        Keys keys;
        String setting;
        if (keystore != null) {
            setting = "API_TLS_KEYSTORE";
            keys = Keys.builder().keystore(store -> {
                store.keystore(Resource.create(keystore)).type("PKCS12");
                if (keystorePassword != null) {
                    store.passphrase(keystorePassword.toCharArray());
                }
            }).build();
        } else {
            setting = "API_TLS_CERT";
            keys = Keys.builder().pem(pem -> pem.key(Resource.create(key)).certChain(Resource.create(certChain))).build();
        }
        try {
            if (keys.privateKey().isEmpty() || keys.certChain().isEmpty()) {
                throw new SettingsException(setting, "holds no private key with its certificate chain");
            }
            return Optional.of(Tls.builder()
                    .privateKey(keys.privateKey().get())
                    .privateKeyCertChain(keys.certChain())
                    .build());
        } catch (RuntimeException e) {
            if (e instanceof SettingsException) {
                throw e;
            }
            // why: the message of a key-reading failure names the file, never the password
            throw new SettingsException(setting, "could not be read as a TLS key and certificate: " + e.getMessage());
        }
    }

    /** why: records print every field; the keystore password must never reach a log. */
    @Override
    public String toString() {
        return enabled() ? "TlsSettings[" + (keystore != null ? "keystore=" + keystore : "cert=" + certChain + ", key=" + key) + "]"
                : "TlsSettings[off]";
    }
}
