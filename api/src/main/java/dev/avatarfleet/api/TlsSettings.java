package dev.avatarfleet.api;

import dev.avatarfleet.common.config.Env;
import dev.avatarfleet.common.config.Setting;
import dev.avatarfleet.common.config.SettingsException;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * TLS on the API node, on when a certificate is given: either PEM files (a certificate chain and
 * its unencrypted PKCS#8 key) or a PKCS#12 keystore; neither set means plain HTTP (the default,
 * e.g. behind a proxy that terminates TLS). A half-given or unreadable setting stops the node at start.
 *
 * @param certChain        {@link ApiSettings#API_TLS_CERT}
 * @param key              {@link ApiSettings#API_TLS_KEY}
 * @param keystore         {@link ApiSettings#API_TLS_KEYSTORE}
 * @param keystorePassword {@link ApiSettings#API_TLS_KEYSTORE_PASSWORD} (never logged)
 */
public record TlsSettings(Path certChain, Path key, Path keystore, String keystorePassword) {
    /** No TLS: the node speaks plain HTTP. */
    public static final TlsSettings NONE = new TlsSettings(null, null, null, null);

    /** Reads the four settings; throws naming the one that is wrong. */
    public static TlsSettings from(Env env) {
        Path cert = readable(ApiSettings.API_TLS_CERT, env.get(ApiSettings.API_TLS_CERT));
        Path key = readable(ApiSettings.API_TLS_KEY, env.get(ApiSettings.API_TLS_KEY));
        Path keystore = readable(ApiSettings.API_TLS_KEYSTORE, env.get(ApiSettings.API_TLS_KEYSTORE));
        String password = env.get(ApiSettings.API_TLS_KEYSTORE_PASSWORD);
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

    private static Path readable(Setting<Path> setting, Path path) {
        if (path != null && (!Files.isReadable(path) || !Files.isRegularFile(path))) {
            throw new SettingsException(setting.name(), "must name a readable file, was '" + path + "'");
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
        String setting = keystore != null ? "API_TLS_KEYSTORE" : "API_TLS_CERT";
        PrivateKey privateKey;
        List<X509Certificate> chain;
        try {
            if (keystore != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                char[] password = keystorePassword == null ? new char[0] : keystorePassword.toCharArray();
                try (InputStream in = Files.newInputStream(keystore)) {
                    store.load(in, password);
                }
                String alias = keyAlias(store);
                privateKey = (PrivateKey) store.getKey(alias, password);
                chain = Arrays.stream(store.getCertificateChain(alias)).map(X509Certificate.class::cast).toList();
            } else {
                Keys keys = Keys.builder().pem(pem -> pem.key(Resource.create(key)).certChain(Resource.create(certChain))).build();
                if (keys.privateKey().isEmpty() || keys.certChain().isEmpty()) {
                    throw new SettingsException(setting, "and API_TLS_KEY hold no private key with its certificate chain");
                }
                privateKey = keys.privateKey().get();
                chain = keys.certChain();
            }
        } catch (SettingsException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // why: the message names the file and what failed, never the password
            throw new SettingsException(setting, "could not be read as a TLS key and certificate chain ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return Optional.of(Tls.builder().privateKey(privateKey).privateKeyCertChain(chain).build());
    }

    /** The keystore's one private key entry. */
    private static String keyAlias(KeyStore store) throws KeyStoreException {
        List<String> keys = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                keys.add(alias);
            }
        }
        if (keys.size() != 1) {
            throw new SettingsException("API_TLS_KEYSTORE", "must hold exactly one private key entry, holds " + keys.size());
        }
        return keys.getFirst();
    }

    /** why: records print every field; the keystore password must never reach a log. */
    @Override
    public String toString() {
        return enabled() ? "TlsSettings[" + (keystore != null ? "keystore=" + keystore : "cert=" + certChain + ", key=" + key) + "]"
                : "TlsSettings[off]";
    }
}
