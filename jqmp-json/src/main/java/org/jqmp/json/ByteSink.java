package org.jqmp.json;

import java.util.Arrays;

/** A growable byte buffer that the encoder writes into; reused per connection to avoid garbage. */
public final class ByteSink {
    private byte[] bytes;
    private int length;

    public ByteSink(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    public ByteSink() {
        this(256);
    }

    public void write(int b) {
        if (length == bytes.length) {
            grow(1);
        }
        bytes[length++] = (byte) b;
    }

    /** Appends an ASCII string (callers guarantee every char is below 0x80). */
    public void writeAscii(String s) {
        int n = s.length();
        if (length + n > bytes.length) {
            grow(n);
        }
        s.getBytes(0, n, bytes, length);
        length += n;
    }

    /** Appends chars {@code [from, to)} of an ASCII string (callers guarantee every char is below 0x80). */
    public void writeAscii(String s, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        if (length + n > bytes.length) {
            grow(n);
        }
        s.getBytes(from, to, bytes, length);
        length += n;
    }

    public void write(byte[] b, int off, int len) {
        if (length + len > bytes.length) {
            grow(len);
        }
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    private void grow(int needed) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + needed));
    }

    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public void clear() {
        length = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
