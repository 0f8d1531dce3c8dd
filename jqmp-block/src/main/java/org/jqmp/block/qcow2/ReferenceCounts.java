package org.jqmp.block.qcow2;

import java.util.Arrays;
import java.util.TreeSet;

/** How many times each host cluster is referenced, counted from the tables (for {@link MetadataSwitch}). */
final class ReferenceCounts {
    private final int cb;
    private long[] counts;
    private long highest = -1;

    ReferenceCounts(long fileBytes, int clusterBits) {
        this.cb = clusterBits;
        this.counts = new long[(int) Math.max(16, (fileBytes >>> clusterBits) + 16)];
    }

    /** One more reference to every cluster the byte range touches (nothing for an empty range). */
    void add(long offset, long bytes) {
        if (bytes <= 0) {
            return;
        }
        long first = offset >>> cb, last = (offset + bytes - 1) >>> cb;
        if (last >= Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cluster " + last + " is beyond what jqmp can count");
        }
        if (last >= counts.length) {
            counts = Arrays.copyOf(counts, (int) Math.max(last + 1, Math.min(Integer.MAX_VALUE - 16,
                    counts.length * 3L / 2)));
        }
        for (long c = first; c <= last; c++) {
            counts[(int) c]++;
        }
        highest = Math.max(highest, last);
    }

    /** One reference less to the cluster at {@code offset}. */
    void remove(long offset) {
        counts[(int) (offset >>> cb)]--;
    }

    long get(long cluster) {
        return cluster < counts.length ? counts[(int) cluster] : 0;
    }

    /** The highest cluster ever referenced, -1 for none. */
    long highest() {
        return highest;
    }

    /** Refcount block indexes covering a referenced cluster or a cluster of [regionStart, regionEnd). */
    TreeSet<Long> blockIndexes(long entriesPerBlock, long regionStart, long regionEnd) {
        TreeSet<Long> out = new TreeSet<>();
        for (long c = 0; c <= highest; c++) {
            if (counts[(int) c] != 0) {
                out.add(c / entriesPerBlock);
                c = (c / entriesPerBlock + 1) * entriesPerBlock - 1; // the rest of this block adds nothing
            }
        }
        for (long i = regionStart / entriesPerBlock; regionEnd > regionStart && i <= (regionEnd - 1) / entriesPerBlock; i++) {
            out.add(i);
        }
        return out;
    }
}
