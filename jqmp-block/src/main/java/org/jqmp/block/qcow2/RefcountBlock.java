package org.jqmp.block.qcow2;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One refcount block in memory: a cluster of {@code refcount_bits}-wide entries (qcow2 spec "Host cluster
 * management"). Entries narrower than a byte are packed from the least significant bit, as QEMU does; wider
 * ones are big-endian.
 */
final class RefcountBlock {
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    final long offset;
    final byte[] data;
    private final int order;
    boolean dirty;

    RefcountBlock(long offset, byte[] data, int order) {
        this.offset = offset;
        this.data = data;
        this.order = order;
    }

    static long maxRefcount(int order) {
        return order == 6 ? Long.MAX_VALUE : (1L << (1 << order)) - 1;
    }

    long get(int index) {
        return switch (order) {
            case 0, 1, 2 -> {
                int bits = 1 << order, perByte = 8 / bits;
                yield ((data[index / perByte] & 0xff) >>> ((index % perByte) * bits)) & ((1 << bits) - 1);
            }
            case 3 -> data[index] & 0xff;
            case 4 -> (short) BE16.get(data, index * 2) & 0xffff;
            case 5 -> (int) BE32.get(data, index * 4) & 0xffffffffL;
            default -> (long) BE64.get(data, index * 8);
        };
    }

    void set(int index, long value) {
        switch (order) {
            case 0, 1, 2 -> {
                int bits = 1 << order, perByte = 8 / bits, shift = (index % perByte) * bits, mask = ((1 << bits) - 1) << shift;
                data[index / perByte] = (byte) ((data[index / perByte] & ~mask) | ((int) value << shift & mask));
            }
            case 3 -> data[index] = (byte) value;
            case 4 -> BE16.set(data, index * 2, (short) value);
            case 5 -> BE32.set(data, index * 4, (int) value);
            default -> BE64.set(data, index * 8, value);
        }
        dirty = true;
    }
}
