package org.jqmp.json;

/** A number with a fraction or exponent, or an integer too large for int64 and uint64. */
public record JsonDouble(double value) implements JsonNumber {
    @Override
    public double doubleValue() {
        return value;
    }
}
