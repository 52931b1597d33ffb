package dev.avatarfleet.devroom.signal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;

/** Binary protobuf and proto3-JSON forms of LiveKit's {@code SignalRequest} / {@code SignalResponse}. */
public final class SignalCodec {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private SignalCodec() {
    }

    /** @param bytes a binary frame @return the request @throws InvalidProtocolBufferException when malformed */
    public static SignalRequest fromBinary(byte[] bytes) throws InvalidProtocolBufferException {
        return SignalRequest.parseFrom(bytes);
    }

    /** @param json a text frame @return the request @throws InvalidProtocolBufferException when malformed */
    public static SignalRequest fromJson(String json) throws InvalidProtocolBufferException {
        SignalRequest.Builder b = SignalRequest.newBuilder();
        PARSER.merge(json, b);
        return b.build();
    }

    /** @param response a response @return its proto3 JSON */
    public static String toJson(SignalResponse response) {
        try {
            return PRINTER.print(response);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print a SignalResponse as JSON", e);
        }
    }
}
