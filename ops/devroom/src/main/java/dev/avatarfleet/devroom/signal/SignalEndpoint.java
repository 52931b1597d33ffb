package dev.avatarfleet.devroom.signal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.avatarfleet.devroom.DevRoomConfig;
import dev.avatarfleet.devroom.auth.Grants;
import dev.avatarfleet.devroom.auth.TokenRejected;
import dev.avatarfleet.devroom.auth.TokenVerifier;
import dev.avatarfleet.devroom.room.ClientDetails;
import dev.avatarfleet.devroom.room.ForwardedMedia;
import dev.avatarfleet.devroom.room.MediaEvents;
import dev.avatarfleet.devroom.room.MediaFactory;
import dev.avatarfleet.devroom.room.Participant;
import dev.avatarfleet.devroom.room.Room;
import dev.avatarfleet.devroom.room.RoomRegistry;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.Pong;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;

import java.io.ByteArrayOutputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One signalling connection on {@code /rtc} (LiveKit v0, dual peer connection). The token is checked during the
 * HTTP upgrade (401 before any room state changes); the join happens on open; each complete message is decoded
 * (binary protobuf or JSON text) and handed to the participant's serial executor. A malformed or oversized
 * message closes this connection only.
 */
public final class SignalEndpoint implements WsListener {
    private static final Logger LOG = LoggerFactory.getLogger(SignalEndpoint.class);
    private final DevRoomConfig config;
    private final RoomRegistry rooms;
    private final TokenVerifier verifier;
    private final MediaFactory media;
    private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
    private final StringBuilder partialText = new StringBuilder();
    // why: a flood is an attack on the shared executor, but an SDK's first second is a burst: @livekit/rtc-node
    // trickled 18-82 ICE candidates within its first second in a two-address namespace (and 200 was exceeded in
    // ops/chaos runs, closing agents that then rejoined: their avatars ended as agent_left); hosts with more
    // interfaces trickle more. 1000 a second still cuts a flood within its first second.
    static final int MAX_MESSAGES_PER_SECOND = 1000;
    private long windowStartMs;
    private int messagesInWindow;
    // why: a rejected flood says what it was made of (an SDK's burst of one kind is a bug to find, not an attack)
    private final Map<SignalRequest.MessageCase, Integer> casesInWindow = new EnumMap<>(SignalRequest.MessageCase.class);
    private Grants grants;
    private ClientDetails client;
    private WsSignalChannel channel;
    private volatile Participant participant;
    private volatile Room room;

    /**
     * @param config   settings (bounds)
     * @param rooms    rooms
     * @param verifier token check
     * @param media    peer-connection factory
     */
    public SignalEndpoint(DevRoomConfig config, RoomRegistry rooms, TokenVerifier verifier, MediaFactory media) {
        this.config = config;
        this.rooms = rooms;
        this.verifier = verifier;
        this.media = media;
    }

    /**
     * The bearer token of a request: the {@code Authorization: Bearer} header, else {@code access_token}.
     *
     * @param headers request headers
     * @param query   {@code access_token} query value, if any
     * @return the token or empty
     */
    public static String bearer(Headers headers, Optional<String> query) {
        Optional<String> header = headers.first(HeaderNames.AUTHORIZATION)
                .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7)).map(v -> v.substring(7).trim());
        return header.or(() -> query).orElse("");
    }

    /**
     * Checks a join token the way {@code /rtc} does.
     *
     * @param verifier  token check
     * @param token     the JWT
     * @param queryRoom optional {@code room} query parameter
     * @return the grants
     * @throws TokenRejected when it cannot join
     */
    public static Grants checkJoin(TokenVerifier verifier, String token, Optional<String> queryRoom) throws TokenRejected {
        Grants g = verifier.verify(token);
        if (!g.roomJoin()) {
            throw new TokenRejected("permissions denied: token has no roomJoin grant");
        }
        if (g.room().isEmpty()) {
            throw new TokenRejected("permissions denied: token names no room");
        }
        if (g.identity().isEmpty()) {
            throw new TokenRejected("permissions denied: token has no identity");
        }
        if (queryRoom.isPresent() && !queryRoom.get().equals(g.room())) {
            throw new TokenRejected("permissions denied: token is for room '" + g.room() + "'");
        }
        return g;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        try {
            grants = checkJoin(verifier, bearer(headers, prologue.query().first("access_token").asOptional()),
                    prologue.query().first("room").asOptional());
        } catch (TokenRejected e) {
            throw refuse(Status.UNAUTHORIZED_401, e.getMessage());
        }
        if (prologue.query().first("reconnect").filter("1"::equals).isPresent()) {
            // why: no session resume; a refused resume makes the SDKs do a full reconnect (livekit-protocol.md §3.6)
            throw refuse(Status.NOT_FOUND_404, "could not resume: participant not found");
        }
        if (!rooms.admitJoin()) {
            throw refuse(Status.TOO_MANY_REQUESTS_429, "too many joins, retry later");
        }
        client = ClientQuery.details(prologue.query());
        return Optional.empty();
    }

    private static RequestException refuse(Status status, String message) {
        return RequestException.builder().status(status).message(message).safeMessage(true)
                .type(io.helidon.http.DirectHandler.EventType.OTHER).build();
    }

    @Override
    public void onOpen(WsSession session) {
        channel = new WsSignalChannel(session);
        if (grants == null) {
            channel.close(WsCloseCodes.VIOLATED_POLICY, "not authorized");
            return;
        }
        participant = new Participant(grants, client, channel, config.clock());
        participant.attachMedia(media.create(participant, new Events()));
        for (int attempt = 0; attempt < 2; attempt++) {
            room = rooms.open(grants.room());
            try {
                room.join(participant);
                LOG.info("participant {} joined {}", grants.identity(), grants.room());
                return;
            } catch (Room.RoomRefused e) {
                if (attempt == 1 || !e.getMessage().equals("room closed")) {
                    LOG.info("join of {} refused: {}", grants.identity(), e.getMessage());
                    channel.send(SignalResponse.newBuilder().setLeave(LeaveRequest.newBuilder()
                            .setReason(DisconnectReason.JOIN_FAILURE).setAction(LeaveRequest.Action.DISCONNECT)).build());
                    channel.close(WsCloseCodes.TRY_AGAIN_LATER, e.getMessage());
                    participant.attachMedia(null);
                    room = null;
                    return;
                }
            }
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (room == null) {
            return;
        }
        if (partialBinary.size() + buffer.available() > config.maxMessageBytes()) {
            reject(WsCloseCodes.TOO_BIG, "message larger than " + config.maxMessageBytes() + " bytes");
            return;
        }
        byte[] bytes = new byte[buffer.available()];
        buffer.read(bytes);
        partialBinary.writeBytes(bytes);
        if (!last) {
            return;
        }
        byte[] whole = partialBinary.toByteArray();
        partialBinary.reset();
        try {
            dispatch(SignalCodec.fromBinary(whole));
        } catch (InvalidProtocolBufferException e) {
            reject(WsCloseCodes.NOT_CONSISTENT, "malformed protobuf SignalRequest");
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (room == null) {
            return;
        }
        if (partialText.length() + text.length() > config.maxMessageBytes()) {
            reject(WsCloseCodes.TOO_BIG, "message larger than " + config.maxMessageBytes() + " bytes");
            return;
        }
        partialText.append(text);
        if (!last) {
            return;
        }
        String whole = partialText.toString();
        partialText.setLength(0);
        try {
            SignalRequest request = SignalCodec.fromJson(whole);
            channel.useJson(true);
            dispatch(request);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            reject(WsCloseCodes.NOT_CONSISTENT, "malformed JSON SignalRequest");
        }
    }

    private void reject(int code, String reason) {
        LOG.info("closing signalling of {}: {}", grants.identity(), reason);
        Room r = room;
        room = null;
        channel.close(code, reason);
        if (r != null) {
            r.leave(participant, DisconnectReason.SIGNAL_CLOSE, false);
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        Room r = room;
        room = null;
        if (r != null) {
            r.leave(participant, DisconnectReason.CLIENT_INITIATED, false);
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.debug("signalling error: {}", t.toString());
        onClose(session, WsCloseCodes.UNEXPECTED_CONDITION, String.valueOf(t.getMessage()));
    }

    private boolean flooding(SignalRequest.MessageCase kind) {
        long now = config.clock().millis();
        if (now - windowStartMs >= 1000) {
            windowStartMs = now;
            messagesInWindow = 0;
            casesInWindow.clear();
        }
        casesInWindow.merge(kind, 1, Integer::sum);
        return ++messagesInWindow > MAX_MESSAGES_PER_SECOND;
    }

    private void dispatch(SignalRequest request) {
        if (flooding(request.getMessageCase())) {
            LOG.info("signalling flood of {} within a second, by kind: {}", grants.identity(), casesInWindow);
            reject(WsCloseCodes.VIOLATED_POLICY, "more than " + MAX_MESSAGES_PER_SECOND + " messages per second");
            return;
        }
        Participant p = participant;
        Room r = room;
        p.touch();
        switch (request.getMessageCase()) {
            case PING -> p.send(SignalResponse.newBuilder().setPong(request.getPing()).build());
            case PING_REQ -> p.send(SignalResponse.newBuilder().setPongResp(Pong.newBuilder()
                    .setLastPingTimestamp(request.getPingReq().getTimestamp())
                    .setTimestamp(config.clock().millis())).build());
            case OFFER -> p.run(() -> p.media().onPublisherOffer(request.getOffer()));
            case ANSWER -> p.run(() -> p.media().onSubscriberAnswer(request.getAnswer()));
            case TRICKLE -> p.run(() -> p.media().onTrickle(request.getTrickle()));
            case ADD_TRACK -> p.run(() -> r.addTrack(p, request.getAddTrack()));
            case MUTE -> p.run(() -> r.mute(p, request.getMute()));
            case SUBSCRIPTION -> p.run(() -> r.updateSubscription(p, request.getSubscription()));
            case UPDATE_METADATA -> p.run(() -> r.updateMetadata(p, request.getUpdateMetadata()));
            case LEAVE -> {
                room = null;
                r.leave(p, DisconnectReason.CLIENT_INITIATED, false);
            }
            default -> {
                // why: track settings, layers, sync state and newer messages change nothing here (unknown cases are ignored)
            }
        }
    }

    private final class Events implements MediaEvents {
        @Override
        public void signal(SignalResponse response) {
            participant.send(response);
        }

        @Override
        public Optional<String> claimTrack(String msidTrackId, boolean video) {
            Room r = room;
            return r == null ? Optional.empty() : r.claimTrack(participant, msidTrackId, video);
        }

        @Override
        public void forwardReady(ForwardedMedia forwarded) {
            Room r = room;
            if (r == null) {
                forwarded.close();
            } else {
                r.forwardReady(participant, forwarded);
            }
        }

        @Override
        public void trackEnded(String trackSid) {
            Room r = room;
            if (r != null) {
                r.unpublish(participant, trackSid);
            }
        }

        @Override
        public void dataReceived(byte[] packet, boolean lossy) {
            Room r = room;
            if (r != null) {
                r.relay(participant, packet, lossy);
            }
        }
    }
}
