package org.jqmp.qapi.model;

/**
 * Where a definition, member or doc comment starts: the schema file as it was named (relative paths stay
 * relative, as in QEMU's messages) and the 1-based line.
 */
public record SourceLocation(String file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
