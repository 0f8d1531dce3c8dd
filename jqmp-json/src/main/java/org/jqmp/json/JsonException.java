package org.jqmp.json;

/**
 * The one exception root of jqmp-json: input that is not exactly one JSON value in QEMU's dialect. The
 * message is QEMU's own text (for example {@code "JSON parse error, expecting value"}), so that callers can
 * pass it on to a QMP client unchanged.
 */
public class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
