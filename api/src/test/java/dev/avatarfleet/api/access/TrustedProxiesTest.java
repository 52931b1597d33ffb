package dev.avatarfleet.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import dev.avatarfleet.common.config.SettingsException;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private static final TrustedProxies PROXIES = TrustedProxies.parse("P", List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void networksMatchByTheirPrefix() throws Exception {
        assertTrue(PROXIES.trusts(ip("10.200.3.4")));
        assertTrue(PROXIES.trusts(ip("192.168.1.7")));
        assertFalse(PROXIES.trusts(ip("192.168.1.8")));
        assertTrue(PROXIES.trusts(ip("fd12::1")));
        assertFalse(PROXIES.trusts(ip("fe80::1")));
        assertFalse(PROXIES.trusts(ip("11.0.0.1")));
        assertTrue(TrustedProxies.parse("P", List.of("172.16.0.0/12")).trusts(ip("172.31.255.1")));
        assertFalse(TrustedProxies.parse("P", List.of("172.16.0.0/12")).trusts(ip("172.32.0.1")));
    }

    @Test
    void theForwardedForHeaderCountsOnlyFromATrustedPeerAndOnlyItsUntrustedRightmostHop() throws Exception {
        // an untrusted peer: its header is anyone's words
        assertEquals("203.0.113.9", PROXIES.clientAddress(ip("203.0.113.9"), "1.2.3.4"));
        // through one trusted proxy
        assertEquals("198.51.100.20", PROXIES.clientAddress(ip("10.0.0.2"), "198.51.100.20"));
        // the client wrote a false first hop; the proxies appended what they saw: the right-most untrusted hop wins
        assertEquals("198.51.100.20", PROXIES.clientAddress(ip("10.0.0.2"), "6.6.6.6, 198.51.100.20, 10.0.0.3"));
        // a malformed hop ends the walk at the last good one
        assertEquals("10.0.0.3", PROXIES.clientAddress(ip("10.0.0.2"), "evil.example, 10.0.0.3"));
        // no header: the peer
        assertEquals("10.0.0.2", PROXIES.clientAddress(ip("10.0.0.2"), null));
        // nothing trusted: the peer, whatever the header says
        assertEquals("10.0.0.2", TrustedProxies.NONE.clientAddress(ip("10.0.0.2"), "198.51.100.20"));
    }

    @Test
    void onlyAddressLiteralsAreAccepted() {
        assertEquals("P", assertThrows(SettingsException.class, () -> TrustedProxies.parse("P", List.of("proxy.internal"))).variable());
        assertThrows(SettingsException.class, () -> TrustedProxies.parse("P", List.of("10.0.0.0/33")));
        assertThrows(SettingsException.class, () -> TrustedProxies.parse("P", List.of("300.1.1.1")));
    }
}
