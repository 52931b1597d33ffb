package dev.avatarfleet.api.image;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host and port of a download URL, read from its raw authority the way a browser or curl
 * would read them, so the address checked is the address others would reach: userinfo is cut at
 * the last {@code @}; names are lower-cased with one trailing dot dropped; a host whose last label
 * is a number is an IPv4 address in any of the legacy forms ({@code 2130706433}, {@code 0177.0.0.1},
 * {@code 0x7f.1}, {@code 127.1}); {@code [...]} is an IPv6 literal.
 *
 * <p>why: {@link URI#getHost()} is null for {@code 0x7f.1} or {@code 127.1}, and
 * {@link InetAddress#getAllByName} reads {@code 0177.0.0.1} as 177.0.0.1 where curl reads 127.0.0.1;
 * one reading, checked and then connected to, closes those differences.
 *
 * @param name     the host as requested: a lower-case DNS name, or the address's canonical text
 * @param literal  the address when the host is an IP literal, else null (a name to resolve)
 * @param port     the explicit port, or the scheme's default
 * @param userInfo true when the URL carries {@code user@}
 * @param written  the host as the URL wrote it (no userinfo, no port), for messages
 */
record TargetHost(String name, InetAddress literal, int port, boolean userInfo, String written) {
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern NUMBER = Pattern.compile("(0[xX][0-9a-fA-F]*|[0-9]+)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    /** Parses {@code url}'s authority; a host that cannot be read is a {@link Refused}. */
    static TargetHost of(URI url) {
        String authority = url.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new Refused("URL has no host");
        }
        int at = authority.lastIndexOf('@');
        boolean userInfo = at >= 0;
        String hostPort = authority.substring(at + 1);
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new Refused("unterminated IPv6 literal");
            }
            host = hostPort.substring(1, close);
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new Refused("malformed authority");
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        int portNumber = port(port, url.getScheme());
        if (hostPort.startsWith("[")) {
            return new TargetHost(host, ipv6(host), portNumber, userInfo, "[" + host + "]");
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw new Refused("URL has no host");
        }
        if (name.indexOf('%') >= 0) {
            throw new Refused("percent-encoded host names are not fetched");
        }
        Optional<byte[]> v4 = legacyIpv4(name);
        if (v4.isPresent()) {
            InetAddress address = InternalAddresses.of(v4.get());
            return new TargetHost(address.getHostAddress(), address, portNumber, userInfo, host);
        }
        if (name.length() > 253 || !DNS_NAME.matcher(name).matches()) {
            throw new Refused("host is not a DNS name or an IP address");
        }
        return new TargetHost(name, null, portNumber, userInfo, host);
    }

    /** The host as it goes into a URL: IPv6 in brackets. */
    String urlHost() {
        return literal != null && literal.getAddress().length == 16 ? "[" + literal.getHostAddress() + "]" : name;
    }

    private static int port(String port, String scheme) {
        if (port.isEmpty()) {
            return "https".equalsIgnoreCase(scheme) ? 443 : 80;
        }
        if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Refused("malformed port");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new Refused("port out of range");
        }
        return p;
    }

    private static InetAddress ipv6(String literal) {
        if (!literal.contains(":") || !IPV6.matcher(literal).matches()) {
            // why: a zone id (fe80::1%eth0) or anything else in brackets names a local interface or nothing
            throw new Refused("malformed IPv6 literal");
        }
        try {
            // why: a text with ':' is parsed as a literal, never looked up
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new Refused("malformed IPv6 literal");
        }
    }

    /**
     * The WHATWG URL standard's IPv4 parser: when the last label is a number the host is an IPv4
     * address of 1 to 4 parts, each decimal, octal (leading 0) or hex (0x), the last filling the rest.
     */
    static Optional<byte[]> legacyIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (!NUMBER.matcher(parts[parts.length - 1]).matches()) {
            return Optional.empty();
        }
        if (parts.length > 4) {
            throw new Refused("not a valid IPv4 address");
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = number(parts[i]);
        }
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                throw new Refused("not a valid IPv4 address");
            }
        }
        long last = values[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) {
            throw new Refused("not a valid IPv4 address");
        }
        long ip = last;
        for (int i = 0; i < parts.length - 1; i++) {
            ip += values[i] << (8 * (3 - i));
        }
        return Optional.of(new byte[] {(byte) (ip >> 24), (byte) (ip >> 16), (byte) (ip >> 8), (byte) ip});
    }

    private static long number(String part) {
        if (part.isEmpty() || part.length() > 12) {
            throw new Refused("not a valid IPv4 address");
        }
        try {
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Long.parseLong(part.substring(1), 8);
            }
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            throw new Refused("not a valid IPv4 address");
        }
    }

    /** A URL whose target must not be fetched; the message completes "image download failed: ...". */
    static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
