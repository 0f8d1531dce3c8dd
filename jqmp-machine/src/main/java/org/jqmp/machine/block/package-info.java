/**
 * The machine's block layer: drives (QEMU's BlockBackends with their device models), the graph of named nodes
 * on jqmp's image engine, I/O accounting as {@code query-blockstats} reports it, media and snapshots.
 */
package org.jqmp.machine.block;
