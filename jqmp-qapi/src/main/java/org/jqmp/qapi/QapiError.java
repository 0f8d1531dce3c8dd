package org.jqmp.qapi;

import java.util.List;
import java.util.Optional;

/**
 * Every error the schema compiler reports: the root of the module's exceptions. Carries the location the way
 * QEMU's {@code scripts/qapi} prints it, so that {@link #getMessage()} is exactly QEMU's text:
 * <pre>
 * In file included from main.json:3:          (one line per enclosing include)
 * sub.json: In struct 'Foo':                  (when the error is about a definition)
 * sub.json:12:5: message                      (column only for syntax errors)
 * </pre>
 */
public final class QapiError extends RuntimeException {
    private final String file;
    private final int line;
    private final int column;
    private final List<String> context;
    private final String reason;

    /**
     * @param file    the schema file as named, or null when the error has no location
     * @param line    1-based line, 0 when unknown
     * @param column  1-based column (tabs expand to 8), 0 when QEMU prints none
     * @param context the lines printed before the location, without trailing newlines
     * @param reason  the message proper
     */
    public QapiError(String file, int line, int column, List<String> context, String reason) {
        super(format(file, line, column, context, reason));
        this.file = file;
        this.line = line;
        this.column = column;
        this.context = List.copyOf(context);
        this.reason = reason;
    }

    /** An error without a location, e.g. an unreadable main schema file. */
    public QapiError(String reason) {
        this(null, 0, 0, List.of(), reason);
    }

    private static String format(String file, int line, int column, List<String> context, String reason) {
        if (file == null) {
            return reason;
        }
        StringBuilder sb = new StringBuilder();
        context.forEach(c -> sb.append(c).append('\n'));
        sb.append(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        if (column > 0) {
            sb.append(':').append(column);
        }
        return sb.append(": ").append(reason).toString();
    }

    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** Include chain and "In struct 'x':" lines. */
    public List<String> context() {
        return context;
    }

    /** The message without location and context. */
    public String reason() {
        return reason;
    }
}
