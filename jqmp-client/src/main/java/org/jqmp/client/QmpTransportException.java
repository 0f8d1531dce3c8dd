package org.jqmp.client;

/**
 * The connection failed or closed: a command in flight may or may not have run on the server.
 */
public final class QmpTransportException extends QmpClientException {
    public QmpTransportException(String message) {
        super(message);
    }

    public QmpTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
