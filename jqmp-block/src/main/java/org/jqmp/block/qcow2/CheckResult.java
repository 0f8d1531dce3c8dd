package org.jqmp.block.qcow2;

import java.util.List;

/**
 * What {@code qemu-img check} reports (QAPI ImageCheck), plus the lines it prints to stderr on the way.
 */
public record CheckResult(String filename, String format, long checkErrors, long imageEndOffset, long corruptions,
                          long leaks, long corruptionsFixed, long leaksFixed, long totalClusters,
                          long allocatedClusters, long fragmentedClusters, long compressedClusters,
                          List<String> messages) {
    public CheckResult {
        messages = List.copyOf(messages);
    }
}
