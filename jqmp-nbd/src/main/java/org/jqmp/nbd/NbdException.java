package org.jqmp.nbd;

/**
 * The one unchecked exception of jqmp-nbd. It names what it is about (an export, a client, a listening address)
 * so that the message reads on its own: {@code export 'disk0': ...}.
 */
public class NbdException extends RuntimeException {
    private final String subject;

    public NbdException(String subject, String message) {
        this(subject, message, null);
    }

    public NbdException(String subject, String message, Throwable cause) {
        super(subject == null ? message : subject + ": " + message, cause);
        this.subject = subject;
    }

    /** The export, client or address the problem is about; may be null. */
    public String subject() {
        return subject;
    }
}
