package org.jqmp.block.qcow2;

/**
 * A run of guest bytes inside one L2 table that the image maps the same way (qcow2 spec "Cluster mapping").
 *
 * @param kind   how the run reads
 * @param host   for DATA: host offset of the run's first byte; for a zero cluster: its preallocated host
 *               cluster or 0
 * @param length bytes
 * @param copied the L2 entries' COPIED flag (refcount exactly one: may be written in place)
 * @param entry  for COMPRESSED: the raw L2 entry (a compressed cluster descriptor)
 */
record ClusterRun(Kind kind, long host, long length, boolean copied, long entry) {
    enum Kind { DATA, ZERO, UNALLOCATED, COMPRESSED }
}
