package org.jqmp.qapi.parse;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.qapi.QapiError;
import org.jqmp.qapi.model.SourceLocation;

/**
 * A position in the schema source, QEMU's {@code QAPISourceInfo}: file, line, the include that brought the
 * file in, and, once the expression checker has seen it, the definition it belongs to (which adds the
 * "FILE: In struct 'x':" line to messages). All files of one schema share one {@link Pragma}.
 */
public final class SourceInfo {
    private final String file;
    private final int line;
    private final SourceInfo parent;
    private final Pragma pragma;
    private String defnMeta;
    private String defnName;

    SourceInfo(String file, int line, SourceInfo parent, Pragma pragma) {
        this.file = file;
        this.line = line;
        this.parent = parent;
        this.pragma = pragma;
    }

    SourceInfo nextLine() {
        return new SourceInfo(file, line + 1, parent, pragma);
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public SourceInfo parent() {
        return parent;
    }

    public Pragma pragma() {
        return pragma;
    }

    /** Marks this position as belonging to a definition (QEMU's set_defn). */
    public void setDefinition(String meta, String name) {
        this.defnMeta = meta;
        this.defnName = name;
    }

    public String definitionMeta() {
        return defnMeta;
    }

    public String definitionName() {
        return defnName;
    }

    public SourceLocation location() {
        return new SourceLocation(file, line);
    }

    /** The lines QEMU prints before "FILE:LINE": the include chain, outermost first, then the definition. */
    public List<String> context() {
        List<String> lines = new ArrayList<>();
        for (SourceInfo p = parent; p != null; p = p.parent) {
            lines.addFirst("In file included from " + p.file + ":" + p.line + ":");
        }
        if (defnName != null) {
            lines.add(file + ": In " + defnMeta + " '" + defnName + "':");
        }
        return lines;
    }

    public QapiError error(String message) {
        return new QapiError(file, line, 0, context(), message);
    }

    public QapiError error(String message, int column) {
        return new QapiError(file, line, column, context(), message);
    }

    /** This position printed as QEMU does inside another message ("previous definition"). */
    public String describe(String message) {
        StringBuilder sb = new StringBuilder();
        context().forEach(c -> sb.append(c).append('\n'));
        return sb.append(file).append(':').append(line).append(": ").append(message).toString();
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
