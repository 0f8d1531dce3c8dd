package org.jqmp.client;

/**
 * The root of everything the client throws (unchecked). The subclasses keep apart what a caller must treat
 * differently: {@link QmpErrorReplyException} (the server ran the command and said no) versus
 * {@link QmpTransportException} and {@link QmpTimeoutException} (the command may or may not have run).
 */
public class QmpClientException extends RuntimeException {
    public QmpClientException(String message) {
        super(message);
    }

    public QmpClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
