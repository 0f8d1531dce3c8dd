package org.jqmp.block;

/**
 * What one layer of an image says about a run of guest bytes (qemu-img map's vocabulary).
 *
 * @param start      guest offset
 * @param length     bytes in the run (same state throughout)
 * @param state      allocation state in this layer
 * @param hostOffset where the data lives in the layer's file, or -1 (zero, unallocated, compressed)
 * @param compressed true for a compressed qcow2 cluster
 */
public record Extent(long start, long length, State state, long hostOffset, boolean compressed) {
    public enum State {
        /** This layer holds data for the run. */
        DATA,
        /** This layer says the run reads as zeroes. */
        ZERO,
        /** This layer says nothing: the backing file (or zeroes without one) decides. */
        UNALLOCATED
    }

    public long end() {
        return start + length;
    }
}
