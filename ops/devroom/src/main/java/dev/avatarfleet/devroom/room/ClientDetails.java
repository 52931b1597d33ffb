package dev.avatarfleet.devroom.room;

/**
 * What a client told about itself in the signalling URL.
 *
 * @param sdk            {@code sdk} query parameter
 * @param protocol       signalling protocol version ({@code protocol})
 * @param clientProtocol peer-to-peer feature level ({@code client_protocol})
 * @param autoSubscribe  {@code auto_subscribe} (default true)
 */
public record ClientDetails(String sdk, int protocol, int clientProtocol, boolean autoSubscribe) {
}
