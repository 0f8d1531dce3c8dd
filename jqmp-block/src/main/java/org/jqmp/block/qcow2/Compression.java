package org.jqmp.block.qcow2;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;

/**
 * qcow2 compressed clusters (qcow2 spec "Compressed Clusters Descriptor"): raw deflate (no zlib header), the
 * descriptor holding the host offset in its low {@code 62 - (cluster_bits - 8)} bits and the number of
 * additional 512-byte sectors above them.
 */
final class Compression {
    private Compression() {
    }

    static int offsetBits(int clusterBits) {
        return 62 - (clusterBits - 8);
    }

    static long hostOffset(long entry, int clusterBits) {
        return entry & ((1L << offsetBits(clusterBits)) - 1);
    }

    /** Bytes of compressed data the descriptor covers, counted from {@link #hostOffset}. */
    static long compressedBytes(long entry, int clusterBits) {
        long sectors = ((entry >>> offsetBits(clusterBits)) & ((1L << (clusterBits - 8)) - 1)) + 1;
        return sectors * 512 - (hostOffset(entry, clusterBits) & 511);
    }

    /** The descriptor for {@code length} bytes at {@code offset} (L2 entry with the compressed bit). */
    static long descriptor(long offset, int length, int clusterBits) {
        long sectors = ((offset + length - 1) >> 9) - (offset >> 9);
        return (1L << 62) | (sectors << offsetBits(clusterBits)) | offset;
    }

    /**
     * Reads and inflates the compressed cluster an L2 entry describes. The descriptor may claim more sectors
     * than the file has left (the last cluster of a file): only what is there is read.
     */
    static byte[] readCluster(BlockNode file, long entry, int clusterBits, int clusterSize) {
        long host = hostOffset(entry, clusterBits);
        long bytes = Math.min(compressedBytes(entry, clusterBits), Math.max(0, file.size() - host));
        byte[] in = file.read(host, (int) bytes);
        byte[] out = inflate(in, in.length, clusterSize);
        if (out == null) {
            throw new BlockException(file.filename(), host, "Could not decompress the compressed cluster at host "
                    + "offset 0x" + Long.toHexString(host), null);
        }
        return out;
    }

    /** Inflates into exactly {@code clusterSize} bytes, or returns null if the data does not make a cluster. */
    static byte[] inflate(byte[] in, int inLen, int clusterSize) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(in, 0, inLen);
            byte[] out = new byte[clusterSize];
            int n = 0;
            while (n < clusterSize && !inflater.finished()) {
                int got = inflater.inflate(out, n, clusterSize - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            return n == clusterSize ? out : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** Deflates a cluster; returns null when it does not shrink (QEMU then writes it uncompressed). */
    static byte[] deflate(byte[] cluster) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(cluster);
            deflater.finish();
            byte[] out = new byte[cluster.length];
            int n = 0;
            while (!deflater.finished() && n < out.length) {
                n += deflater.deflate(out, n, out.length - n);
            }
            return deflater.finished() && n < cluster.length - 512 ? java.util.Arrays.copyOf(out, n) : null;
        } finally {
            deflater.end();
        }
    }
}
