package org.jqmp.client;

import java.time.Duration;

/**
 * No reply within the call's timeout. The command may still run (QMP has no way to cancel it); a reply that
 * arrives later is dropped as one with an unknown id.
 */
public final class QmpTimeoutException extends QmpClientException {
    private final String command;
    private final Duration timeout;

    public QmpTimeoutException(String command, Duration timeout) {
        this("no reply to '" + command + "' within " + timeout.toMillis() + " ms; it may still run", command,
                timeout);
    }

    public QmpTimeoutException(String message, String command, Duration timeout) {
        super(message);
        this.command = command;
        this.timeout = timeout;
    }

    public String command() {
        return command;
    }

    public Duration timeout() {
        return timeout;
    }
}
