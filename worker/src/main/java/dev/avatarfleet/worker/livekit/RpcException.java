package dev.avatarfleet.worker.livekit;

/** An RPC failed with one of LiveKit's RPC error codes (reference §2.5). */
public final class RpcException extends Exception {

    public static final int APPLICATION_ERROR = 1500;
    public static final int CONNECTION_TIMEOUT = 1501;
    public static final int RESPONSE_TIMEOUT = 1502;
    public static final int RECIPIENT_DISCONNECTED = 1503;
    public static final int RESPONSE_PAYLOAD_TOO_LARGE = 1504;
    public static final int SEND_FAILED = 1505;
    public static final int UNSUPPORTED_METHOD = 1400;
    public static final int REQUEST_PAYLOAD_TOO_LARGE = 1402;
    public static final int UNSUPPORTED_VERSION = 1404;

    private final int code;

    public RpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }

    @Override
    public String toString() {
        return "rpc error " + code + ": " + getMessage();
    }
}
