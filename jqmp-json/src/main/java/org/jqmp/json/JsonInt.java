package org.jqmp.json;

/** An integer that fits int64. */
public record JsonInt(long value) implements JsonNumber {
    @Override
    public double doubleValue() {
        return value;
    }
}
