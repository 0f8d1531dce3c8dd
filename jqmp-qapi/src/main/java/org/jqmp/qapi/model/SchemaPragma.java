package org.jqmp.qapi.model;

import java.util.List;

/**
 * The schema's {@code pragma} settings (global to the schema, whichever file sets them).
 */
public record SchemaPragma(boolean docRequired, List<String> commandNameExceptions,
                           List<String> commandReturnsExceptions, List<String> documentationExceptions,
                           List<String> memberNameExceptions) {
    public SchemaPragma {
        commandNameExceptions = List.copyOf(commandNameExceptions);
        commandReturnsExceptions = List.copyOf(commandReturnsExceptions);
        documentationExceptions = List.copyOf(documentationExceptions);
        memberNameExceptions = List.copyOf(memberNameExceptions);
    }
}
