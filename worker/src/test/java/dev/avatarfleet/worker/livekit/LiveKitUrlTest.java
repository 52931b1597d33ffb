package dev.avatarfleet.worker.livekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveKitUrlTest {

    @Test
    void rewritesHttpToWsAndKeepsThePrefix() {
        LiveKitUrl url = LiveKitUrl.parse("https://lk.example.com/base/");
        assertTrue(url.join().toString().startsWith("wss://lk.example.com/base/rtc?"), url.join().toString());
        assertEquals("ws", LiveKitUrl.parse("http://10.0.0.1:7880").join().getScheme());
        assertEquals(7880, LiveKitUrl.parse("ws://10.0.0.1:7880").join().getPort());
    }

    @Test
    void joinAdvertisesWhatWeImplement() {
        String query = LiveKitUrl.parse("ws://h:1").join().getQuery();
        assertTrue(query.contains("protocol=17"));
        assertTrue(query.contains("client_protocol=0"));
        assertTrue(query.contains("auto_subscribe=0"));
        assertTrue(query.contains("sdk=java"));
        assertTrue(query.contains("version="));
    }

    @Test
    void validateIsHttpWithTheSameQuery() {
        assertTrue(LiveKitUrl.parse("wss://h/x").validate().toString().startsWith("https://h/x/rtc/validate?protocol=17"));
        assertTrue(LiveKitUrl.parse("ws://h:7880").validate().toString().startsWith("http://h:7880/rtc/validate?"));
    }

    @Test
    void resumeCarriesTheSid() {
        String query = LiveKitUrl.parse("ws://h:1").resume("PA_1").getQuery();
        assertTrue(query.contains("reconnect=1"));
        assertTrue(query.contains("sid=PA_1"));
    }

    @Test
    void refusesOtherSchemesAndJunk() {
        assertThrows(IllegalArgumentException.class, () -> LiveKitUrl.parse("ftp://h"));
        assertThrows(IllegalArgumentException.class, () -> LiveKitUrl.parse("h:7880"));
        assertThrows(IllegalArgumentException.class, () -> LiveKitUrl.parse(""));
        assertThrows(IllegalArgumentException.class, () -> LiveKitUrl.parse("ws://"));
        assertThrows(IllegalArgumentException.class, () -> LiveKitUrl.parse("ws://a b"));
    }
}
