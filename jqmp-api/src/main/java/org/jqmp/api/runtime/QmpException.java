package org.jqmp.api.runtime;

/**
 * Thrown by a command handler (or an argument check) to answer with an error reply; the monitor turns it
 * into {@code {"error": {...}}}. The QMP analogue of QEMU's {@code Error **errp}.
 */
public final class QmpException extends RuntimeException {
    private final QmpError error;
    /** QEMU's {@code error_append_hint}: shown by HMP and on stderr, never in a QMP reply. */
    private final String hint;

    public QmpException(QmpError error) {
        this(error, null);
    }

    private QmpException(QmpError error, String hint) {
        super(error.desc(), null, false, false);
        this.error = error;
        this.hint = hint;
    }

    public QmpException(ErrorClass errorClass, String desc) {
        this(new QmpError(errorClass, desc));
    }

    public static QmpException generic(String desc) {
        return new QmpException(QmpError.generic(desc));
    }

    public QmpError error() {
        return error;
    }

    /** The same error with a hint ({@code error_append_hint}): lines for a person, which QMP leaves out. */
    public QmpException withHint(String value) {
        return new QmpException(error, value);
    }

    /** The hint, if any: what HMP prints after the error's own line. */
    public java.util.Optional<String> hint() {
        return java.util.Optional.ofNullable(hint);
    }
}
