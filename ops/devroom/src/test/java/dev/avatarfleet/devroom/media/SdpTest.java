package dev.avatarfleet.devroom.media;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpTest {
    private static final String OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "a=group:BUNDLE 0 1 2",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=mid:0", "a=sendonly", "a=msid:stream-1 TR_audio_cid",
            "a=ssrc:1111 msid:stream-1 TR_audio_cid",
            "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:1", "a=sendonly", "a=msid:stream-1 video-cid",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:2", "");

    @Test
    void mapsMidsToMsidTrackIds() {
        assertEquals(Map.of("0", "TR_audio_cid", "1", "video-cid"), Sdp.msidTrackIdByMid(OFFER));
    }

    @Test
    void findsSectionsNoLongerSending() {
        String renegotiated = OFFER.replace("a=mid:0\r\na=sendonly", "a=mid:0\r\na=inactive")
                .replace("m=video 9 ", "m=video 0 ");
        assertEquals(java.util.Set.of("0", "1"), Sdp.notSendingMids(renegotiated));
        assertEquals(java.util.Set.of(), Sdp.notSendingMids(OFFER));
    }

    @Test
    void givesEachTrackItsOwnStream() {
        String rewritten = Sdp.oneStreamPerTrack(OFFER);
        assertTrue(rewritten.contains("a=msid:TR_audio_cid TR_audio_cid\r\n"));
        assertTrue(rewritten.contains("a=ssrc:1111 msid:TR_audio_cid TR_audio_cid\r\n"));
        assertTrue(rewritten.contains("a=msid:video-cid video-cid\r\n"));
        assertFalse(rewritten.contains("stream-1"));
        assertEquals(OFFER.lines().count(), rewritten.lines().count());
        assertEquals(Sdp.msidTrackIdByMid(OFFER), Sdp.msidTrackIdByMid(rewritten));
    }
}
