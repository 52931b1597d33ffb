package dev.avatarfleet.devroom.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.avatarfleet.devroom.auth.Grants;
import dev.avatarfleet.devroom.auth.TokenRejected;
import dev.avatarfleet.devroom.auth.TokenVerifier;
import dev.avatarfleet.devroom.room.Participant;
import dev.avatarfleet.devroom.room.Room;
import dev.avatarfleet.devroom.room.RoomRegistry;
import dev.avatarfleet.devroom.signal.SignalEndpoint;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitRoom.DeleteRoomRequest;
import livekit.LivekitRoom.DeleteRoomResponse;
import livekit.LivekitRoom.ListParticipantsRequest;
import livekit.LivekitRoom.ListParticipantsResponse;
import livekit.LivekitRoom.ListRoomsRequest;
import livekit.LivekitRoom.ListRoomsResponse;
import livekit.LivekitRoom.RemoveParticipantResponse;
import livekit.LivekitRoom.RoomParticipantIdentity;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * LiveKit's RoomService over Twirp: {@code POST /twirp/livekit.RoomService/{ListRooms,ListParticipants,
 * RemoveParticipant,DeleteRoom}} with a protobuf or JSON body and an admin token ({@code roomList} for
 * ListRooms, {@code roomAdmin} on the room for the others). Errors are Twirp JSON: {@code {"code","msg"}}.
 *
 * <pre>
 * curl -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
 *      -d '{"room":"r1","identity":"bob"}' http://127.0.0.1:7880/twirp/livekit.RoomService/RemoveParticipant
 * </pre>
 */
public final class RoomServiceHandler implements HttpService {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private final RoomRegistry rooms;
    private final TokenVerifier verifier;
    private final int maxBodyBytes;

    /** @param rooms rooms @param verifier token check @param maxBodyBytes largest request body */
    public RoomServiceHandler(RoomRegistry rooms, TokenVerifier verifier, int maxBodyBytes) {
        this.rooms = rooms;
        this.verifier = verifier;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{method}", this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        boolean json = req.headers().contentType().map(t -> t.mediaType().subtype().equals("json")).orElse(false);
        try {
            byte[] body = req.content().inputStream().readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new TwirpError(Status.REQUEST_ENTITY_TOO_LARGE_413, "malformed", "request body too large");
            }
            Grants grants = verifier.verify(SignalEndpoint.bearer(req.headers(), Optional.empty()));
            Message reply = switch (req.path().pathParameters().get("method")) {
                case "ListRooms" -> listRooms(grants, parse(body, json, ListRoomsRequest.newBuilder()));
                case "ListParticipants" -> listParticipants(grants, parse(body, json, ListParticipantsRequest.newBuilder()));
                case "RemoveParticipant" -> removeParticipant(grants, parse(body, json, RoomParticipantIdentity.newBuilder()));
                case "DeleteRoom" -> deleteRoom(grants, parse(body, json, DeleteRoomRequest.newBuilder()));
                default -> throw new TwirpError(Status.NOT_FOUND_404, "bad_route", "no such method");
            };
            if (json) {
                res.headers().set(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(PRINTER.print(reply));
            } else {
                res.headers().set(HeaderNames.CONTENT_TYPE, "application/protobuf");
                res.send(reply.toByteArray());
            }
        } catch (TokenRejected e) {
            error(res, new TwirpError(Status.UNAUTHORIZED_401, "unauthenticated", e.getMessage()));
        } catch (TwirpError e) {
            error(res, e);
        } catch (InvalidProtocolBufferException e) {
            error(res, new TwirpError(Status.BAD_REQUEST_400, "malformed", "malformed request body"));
        } catch (java.io.IOException e) {
            error(res, new TwirpError(Status.BAD_REQUEST_400, "malformed", "could not read request body"));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T parse(byte[] body, boolean json, Message.Builder builder)
            throws InvalidProtocolBufferException {
        if (json) {
            PARSER.merge(new String(body, StandardCharsets.UTF_8), builder);
        } else {
            builder.mergeFrom(body);
        }
        return (T) builder.build();
    }

    private ListRoomsResponse listRooms(Grants g, ListRoomsRequest req) throws TwirpError {
        if (!g.roomList()) {
            throw new TwirpError(Status.UNAUTHORIZED_401, "unauthenticated", "permissions denied: roomList required");
        }
        ListRoomsResponse.Builder b = ListRoomsResponse.newBuilder();
        rooms.all().stream().filter(r -> req.getNamesCount() == 0 || req.getNamesList().contains(r.name()))
                .forEach(r -> b.addRooms(r.info()));
        return b.build();
    }

    private ListParticipantsResponse listParticipants(Grants g, ListParticipantsRequest req) throws TwirpError {
        Room room = admin(g, req.getRoom());
        ListParticipantsResponse.Builder b = ListParticipantsResponse.newBuilder();
        room.participants().forEach(p -> b.addParticipants(p.info()));
        return b.build();
    }

    private RemoveParticipantResponse removeParticipant(Grants g, RoomParticipantIdentity req) throws TwirpError {
        Room room = admin(g, req.getRoom());
        Participant p = room.participant(req.getIdentity())
                .orElseThrow(() -> new TwirpError(Status.NOT_FOUND_404, "not_found", "participant not found"));
        room.leave(p, DisconnectReason.PARTICIPANT_REMOVED, true);
        return RemoveParticipantResponse.getDefaultInstance();
    }

    private DeleteRoomResponse deleteRoom(Grants g, DeleteRoomRequest req) throws TwirpError {
        admin(g, req.getRoom());
        rooms.delete(req.getRoom());
        return DeleteRoomResponse.getDefaultInstance();
    }

    private Room admin(Grants g, String room) throws TwirpError {
        if (!g.roomAdmin() || !g.room().equals(room)) {
            throw new TwirpError(Status.UNAUTHORIZED_401, "unauthenticated", "permissions denied: roomAdmin on '" + room + "' required");
        }
        return rooms.find(room).orElseThrow(() -> new TwirpError(Status.NOT_FOUND_404, "not_found", "room not found"));
    }

    private static void error(ServerResponse res, TwirpError e) {
        res.status(e.status);
        res.headers().set(HeaderNames.CONTENT_TYPE, "application/json");
        res.send("{\"code\":\"" + e.code + "\",\"msg\":" + quote(e.getMessage()) + "}");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ") + "\"";
    }

    private static final class TwirpError extends Exception {
        private final Status status;
        private final String code;

        TwirpError(Status status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}
