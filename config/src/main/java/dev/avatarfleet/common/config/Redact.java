package dev.avatarfleet.common.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Text fit for a log line or a start banner: a URL without its credentials. why: {@code REDIS_URL} may carry
 * {@code user:password@}; a banner, an error message or a bad-setting line must show where, never with what.
 */
public final class Redact {

    private Redact() {
    }

    /** {@code url} with any user info replaced by {@code ***} (scheme, host, port, path kept); null stays null. */
    public static String url(URI url) {
        if (url == null) {
            return null;
        }
        if (url.getRawUserInfo() == null) {
            return url.toString();
        }
        try {
            return new URI(url.getScheme(), "***", url.getHost(), url.getPort(), url.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return url.getScheme() + "://***@" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        }
    }

    /**
     * A URL given as text, without its credentials, even when it does not parse: everything from the scheme's
     * {@code //} to the last {@code @} of the authority is cut.
     */
    public static String url(String text) {
        if (text == null) {
            return null;
        }
        int start = text.indexOf("//");
        if (start < 0) {
            return text;
        }
        int authorityEnd = text.indexOf('/', start + 2);
        String authority = authorityEnd < 0 ? text.substring(start + 2) : text.substring(start + 2, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return text;
        }
        return text.substring(0, start + 2) + "***@" + authority.substring(at + 1) + (authorityEnd < 0 ? "" : text.substring(authorityEnd));
    }
}
