package dev.avatarfleet.api.image;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which IP addresses an image download must never reach, and why: addresses inside the fleet's
 * own host or network, or ones that lead there.
 *
 * <p>IPv4: 0.0.0.0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16 (link-local, cloud metadata),
 * 172.16/12, 192.0.0/24 (protocol assignments; Oracle Cloud's metadata is 192.0.0.192), 192.168/16,
 * 198.18/15, 224/4 (multicast), 240/4 (reserved, broadcast). IPv6: {@code ::}, {@code ::1},
 * fc00::/7, fe80::/10, fec0::/10, ff00::/8, 100::/64, 64:ff9b:1::/48, the whole deprecated
 * IPv4-compatible ::/96, and every form that embeds an IPv4 address checked as that address:
 * IPv4-mapped ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16
 * and Teredo 2001::/32 (server and client).
 *
 * <p>why: a hand-kept list instead of {@link InetAddress#isSiteLocalAddress()} and friends, which
 * miss CGNAT, unique-local IPv6 and every embedded-IPv4 form.
 */
final class InternalAddresses {
    private InternalAddresses() {
    }

    /** Why {@code address} is internal ("loopback", "private", ...), or empty for a public address. */
    static Optional<String> kind(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? ipv4(b) : ipv6(b);
    }

    private static Optional<String> ipv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        String kind;
        if (a0 == 0) {
            kind = "unspecified (0.0.0.0/8)";
        } else if (a0 == 127) {
            kind = "loopback";
        } else if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            kind = "private";
        } else if (a0 == 169 && a1 == 254) {
            kind = "link-local (cloud metadata)";
        } else if (a0 == 100 && (a1 & 0xc0) == 64) {
            kind = "carrier-grade NAT (100.64/10)";
        } else if (a0 == 192 && a1 == 0 && a2 == 0) {
            kind = "IETF protocol assignment (192.0.0/24)";
        } else if (a0 == 198 && (a1 & 0xfe) == 18) {
            kind = "benchmarking (198.18/15)";
        } else if ((a0 & 0xf0) == 224) {
            kind = "multicast";
        } else if ((a0 & 0xf0) == 240) {
            kind = "reserved or broadcast (240/4)";
        } else {
            return Optional.empty();
        }
        return Optional.of(kind);
    }

    private static Optional<String> ipv6(byte[] b) {
        if (zero(b, 0, 10)) {
            if ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                return embedded("IPv4-mapped", b, 12);
            }
            if (zero(b, 10, 2)) {
                if (zero(b, 12, 3) && (b[15] == 0 || b[15] == 1)) {
                    return Optional.of(b[15] == 0 ? "unspecified (::)" : "loopback");
                }
                // why: ::a.b.c.d is deprecated and never routed on purpose; refuse it whatever it embeds
                return Optional.of("IPv4-compatible (::/96, deprecated), embedding " + v4(b, 12));
            }
        }
        if (zero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zero(b, 10, 2)) {
            return embedded("IPv4-translated", b, 12);
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b && zero(b, 4, 8)) {
            return embedded("NAT64", b, 12);
        }
        if (w0 == 0x0064 && w1 == 0xff9b && (b[4] & 0xff) == 0 && (b[5] & 0xff) == 1) {
            return Optional.of("local-use NAT64 (64:ff9b:1::/48)");
        }
        if (w0 == 0x2002) {
            return embedded("6to4", b, 2);
        }
        if (w0 == 0x2001 && w1 == 0) {
            Optional<String> server = embedded("Teredo server", b, 4);
            if (server.isPresent()) {
                return server;
            }
            byte[] client = new byte[4];
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~b[12 + i];
            }
            return embedded("Teredo client", client, 0);
        }
        if (w0 == 0x0100 && zero(b, 2, 6)) {
            return Optional.of("discard-only (100::/64)");
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return Optional.of("unique-local (fc00::/7)");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return Optional.of("link-local (fe80::/10)");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return Optional.of("site-local (fec0::/10)");
        }
        if ((b[0] & 0xff) == 0xff) {
            return Optional.of("multicast");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(String form, byte[] b, int offset) {
        byte[] v4 = java.util.Arrays.copyOfRange(b, offset, offset + 4);
        return ipv4(v4).map(kind -> form + " form of " + v4(v4, 0) + ", " + kind);
    }

    private static String v4(byte[] b, int offset) {
        return (b[offset] & 0xff) + "." + (b[offset + 1] & 0xff) + "." + (b[offset + 2] & 0xff) + "." + (b[offset + 3] & 0xff);
    }

    private static boolean zero(byte[] b, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An address from its bytes, without any name service lookup. */
    static InetAddress of(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address is 4 or 16 bytes", e);
        }
    }
}
