package dev.avatarfleet.devroom.media;

import java.util.HashMap;
import java.util.Map;

/** The few SDP facts the server needs: which msid track id each media section ({@code a=mid}) carries. */
public final class Sdp {
    private Sdp() {
    }

    /**
     * @param sdp an offer
     * @return mid → msid track id for every media section with an {@code a=msid} line
     */
    public static Map<String, String> msidTrackIdByMid(String sdp) {
        Map<String, String> result = new HashMap<>();
        String mid = null;
        String track = null;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                put(result, mid, track);
                mid = null;
                track = null;
            } else if (line.startsWith("a=mid:")) {
                mid = line.substring(6).trim();
            } else if (line.startsWith("a=msid:")) {
                String[] parts = line.substring(7).trim().split("\\s+");
                if (parts.length > 1) {
                    track = parts[1];
                }
            } else if (track == null && line.startsWith("a=ssrc:") && line.contains(" msid:")) {
                String[] parts = line.substring(line.indexOf(" msid:") + 6).trim().split("\\s+");
                if (parts.length > 1) {
                    track = parts[1];
                }
            }
        }
        put(result, mid, track);
        return result;
    }

    /**
     * Gives every track its own stream in an offer ({@code a=msid:<stream> <track>} becomes
     * {@code a=msid:<track> <track>}, same for {@code a=ssrc:… msid:}), so the server's receiver never lip-syncs
     * a publisher's audio and video: doing so grew the video jitter buffer to ~350 ms (sfu-forwarding.md).
     *
     * @param sdp an offer
     * @return the offer with one stream per track
     */
    public static String oneStreamPerTrack(String sdp) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        StringBuilder out = new StringBuilder(sdp.length());
        for (String line : sdp.split("\r?\n", -1)) {
            out.append(rewriteMsid(line)).append(eol);
        }
        out.setLength(out.length() - eol.length());
        return out.toString();
    }

    private static String rewriteMsid(String line) {
        int at;
        if (line.startsWith("a=msid:")) {
            at = 7;
        } else if (line.startsWith("a=ssrc:") && line.contains(" msid:")) {
            at = line.indexOf(" msid:") + 6;
        } else {
            return line;
        }
        String[] parts = line.substring(at).trim().split("\\s+");
        if (parts.length < 2) {
            return line;
        }
        return line.substring(0, at) + parts[1] + " " + parts[1];
    }

    /**
     * @param sdp an offer
     * @return mids of media sections the offerer no longer sends on ({@code a=inactive}/{@code a=recvonly} or
     *         port 0): how SDKs unpublish a track (they remove its sender and renegotiate)
     */
    public static java.util.Set<String> notSendingMids(String sdp) {
        java.util.Set<String> result = new java.util.HashSet<>();
        String mid = null;
        boolean stopped = false;
        boolean application = false;
        for (String raw : (sdp + "\nm=end").split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (mid != null && stopped && !application) {
                    result.add(mid);
                }
                mid = null;
                application = line.startsWith("m=application");
                stopped = line.matches("m=\\S+ 0 .*");
            } else if (line.startsWith("a=mid:")) {
                mid = line.substring(6).trim();
            } else if (line.equals("a=inactive") || line.equals("a=recvonly")) {
                stopped = true;
            }
        }
        return result;
    }

    private static void put(Map<String, String> result, String mid, String track) {
        if (mid != null && track != null) {
            result.put(mid, track);
        }
    }
}
