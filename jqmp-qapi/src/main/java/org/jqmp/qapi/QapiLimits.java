package org.jqmp.qapi;

/**
 * Every bound the compiler puts on schema input, in one value. QEMU's Python front end has no explicit
 * bounds (it would hit Python's recursion limit around depth 1000); these keep a hostile schema from
 * exhausting the JVM while leaving QEMU's own schema (about 2 MB in 45 files, nesting depth 5) far inside.
 *
 * @param maxFileBytes    largest single schema file
 * @param maxNesting      deepest nesting of objects and arrays in one expression
 * @param maxIncludeDepth longest chain of nested includes
 * @param maxFiles        most distinct files one schema may include
 * @param maxTypeDepth    longest chain of object types containing one another (base of a base..., branch
 *                        types), which the checker follows recursively
 */
public record QapiLimits(long maxFileBytes, int maxNesting, int maxIncludeDepth, int maxFiles, int maxTypeDepth) {
    public static final QapiLimits DEFAULT = new QapiLimits(16L << 20, 100, 64, 4096, 500);

    public QapiLimits {
        if (maxFileBytes <= 0 || maxNesting <= 0 || maxIncludeDepth <= 0 || maxFiles <= 0 || maxTypeDepth <= 0) {
            throw new IllegalArgumentException("QAPI limits must be positive");
        }
    }
}
