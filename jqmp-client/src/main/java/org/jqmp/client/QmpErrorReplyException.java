package org.jqmp.client;

import org.jqmp.json.JsonValue;

/**
 * The server answered {@code {"error": {"class": ..., "desc": ...}}}: the command was received and refused
 * (qmp-spec "error response"). {@code errorClass} is a string, not an enum, because a newer QEMU may add
 * classes; the spec says clients must not parse {@code desc}.
 */
public final class QmpErrorReplyException extends QmpClientException {
    private final String command;
    private final String errorClass;
    private final String desc;
    private final JsonValue id;

    public QmpErrorReplyException(String command, String errorClass, String desc, JsonValue id) {
        super(command + ": " + errorClass + ": " + desc);
        this.command = command;
        this.errorClass = errorClass;
        this.desc = desc;
        this.id = id;
    }

    public String command() {
        return command;
    }

    /** e.g. {@code GenericError}, {@code CommandNotFound}, {@code DeviceNotFound}. */
    public String errorClass() {
        return errorClass;
    }

    public String desc() {
        return desc;
    }

    public JsonValue id() {
        return id;
    }
}
