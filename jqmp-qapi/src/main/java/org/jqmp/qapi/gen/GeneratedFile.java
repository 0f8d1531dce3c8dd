package org.jqmp.qapi.gen;

/** One generated file: its path relative to the output directory (e.g. {@code org/jqmp/api/Foo.java}). */
public record GeneratedFile(String path, String content) {
}
