package org.jqmp.qapi.parse;

import java.util.List;
import org.jqmp.qapi.model.SchemaPragma;

/**
 * The pragma settings while parsing. As in QEMU one object is shared by every file of the schema, and a
 * later pragma replaces an earlier list of the same name.
 */
public final class Pragma {
    private boolean docRequired;
    private List<String> commandNameExceptions = List.of();
    private List<String> commandReturnsExceptions = List.of();
    private List<String> documentationExceptions = List.of();
    private List<String> memberNameExceptions = List.of();

    void set(String name, Object value, SourceInfo info) {
        switch (name) {
            case "doc-required" -> {
                if (!(value instanceof Boolean b)) {
                    throw info.error("pragma 'doc-required' must be boolean");
                }
                docRequired = b;
            }
            case "command-name-exceptions" -> commandNameExceptions = strings(name, value, info);
            case "command-returns-exceptions" -> commandReturnsExceptions = strings(name, value, info);
            case "documentation-exceptions" -> documentationExceptions = strings(name, value, info);
            case "member-name-exceptions" -> memberNameExceptions = strings(name, value, info);
            default -> throw info.error("unknown pragma '" + name + "'");
        }
    }

    private static List<String> strings(String name, Object value, SourceInfo info) {
        if (!(value instanceof List<?> list) || !list.stream().allMatch(e -> e instanceof String)) {
            throw info.error("pragma " + name + " must be a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    public boolean docRequired() {
        return docRequired;
    }

    public List<String> commandNameExceptions() {
        return commandNameExceptions;
    }

    public List<String> commandReturnsExceptions() {
        return commandReturnsExceptions;
    }

    public List<String> documentationExceptions() {
        return documentationExceptions;
    }

    public List<String> memberNameExceptions() {
        return memberNameExceptions;
    }

    public SchemaPragma toModel() {
        return new SchemaPragma(docRequired, commandNameExceptions, commandReturnsExceptions,
                documentationExceptions, memberNameExceptions);
    }
}
