package org.jqmp.json;

/**
 * An integer above {@code Long.MAX_VALUE} that fits uint64; {@code bits} holds it as an unsigned long
 * (compare and print with {@link Long#compareUnsigned} and {@link Long#toUnsignedString}).
 */
public record JsonUint(long bits) implements JsonNumber {
    @Override
    public double doubleValue() {
        double d = (double) (bits >>> 1) * 2.0;
        return d + (bits & 1);
    }

    @Override
    public String toString() {
        return "JsonUint[" + Long.toUnsignedString(bits) + "]";
    }
}
