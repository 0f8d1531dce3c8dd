package org.jqmp.api.runtime;

/**
 * Thrown by a command handler (or an argument check) to answer with an error reply; the monitor turns it
 * into {@code {"error": {...}}}. The QMP analogue of QEMU's {@code Error **errp}.
 */
public final class QmpException extends RuntimeException {
    private final QmpError error;

    public QmpException(QmpError error) {
        super(error.desc(), null, false, false);
        this.error = error;
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
}
