package dev.avatarfleet.api.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import dev.avatarfleet.common.config.SettingsException;

/**
 * The reverse proxies whose forwarded-for header is believed ({@code API_TRUSTED_PROXIES}), and the client address
 * of a request read through them: the connection's peer, unless the peer is a trusted proxy; then the right-most
 * address of {@code X-Forwarded-For} that is not itself a trusted proxy. why right-most: each proxy appends the
 * address it saw; everything left of the first untrusted hop was written by the client and proves nothing.
 */
public final class TrustedProxies {

    /** One network: an address and how many of its leading bits must match. */
    record Cidr(byte[] network, int bits) {
        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    /** No proxy is trusted: the peer is the client. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    private final List<Cidr> networks;
    private final List<String> written;

    private TrustedProxies(List<Cidr> networks, List<String> written) {
        this.networks = networks;
        this.written = written;
    }

    /** Addresses and CIDRs as written ({@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code fd00::/8}); only literals, never names. */
    public static TrustedProxies parse(String variable, List<String> entries) {
        List<Cidr> networks = new ArrayList<>();
        for (String entry : entries) {
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            InetAddress address = literal(variable, host);
            int max = address.getAddress().length * 8;
            int bits = max;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new SettingsException(variable, "has a bad prefix length in '" + entry + "' (0.." + max + ")");
                }
            }
            networks.add(new Cidr(address.getAddress(), bits));
        }
        return new TrustedProxies(List.copyOf(networks), List.copyOf(entries));
    }

    /** Whether {@code address} is a trusted proxy. */
    public boolean trusts(InetAddress address) {
        for (Cidr c : networks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client of a request from {@code peer} carrying {@code forwardedFor} (every {@code X-Forwarded-For} value
     * joined, or null): see the class comment. A malformed entry ends the walk at the last good address.
     */
    public String clientAddress(InetAddress peer, String forwardedFor) {
        InetAddress client = peer;
        if (networks.isEmpty() || forwardedFor == null || !trusts(peer)) {
            return client.getHostAddress();
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop;
            try {
                hop = literalOrNull(hops[i].trim());
            } catch (RuntimeException e) {
                hop = null;
            }
            if (hop == null) {
                break;
            }
            client = hop;
            if (!trusts(hop)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    @Override
    public String toString() {
        return written.isEmpty() ? "none" : String.join(",", written);
    }

    private static InetAddress literal(String variable, String host) {
        InetAddress a = literalOrNull(host);
        if (a == null) {
            throw new SettingsException(variable, "entries must be IP addresses or CIDRs, was '" + host + "'");
        }
        return a;
    }

    /** An IP literal (v4 dotted quad or v6, brackets allowed), never a name lookup; null when it is not one. */
    static InetAddress literalOrNull(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String part : t.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            // why: a literal is parsed, never resolved, so no header value can make the node look a name up
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
