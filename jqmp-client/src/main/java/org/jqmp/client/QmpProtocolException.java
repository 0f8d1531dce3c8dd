package org.jqmp.client;

/**
 * The server broke the protocol: no greeting or a malformed one, a refused negotiation, a message over a
 * {@link ClientLimits} bound, a reply that is neither {@code return} nor {@code error}.
 */
public final class QmpProtocolException extends QmpClientException {
    public QmpProtocolException(String message) {
        super(message);
    }
}
