/**
 * jqmp's NBD server: exports {@link org.jqmp.block.BlockNode}s over the Network Block Device protocol (fixed
 * newstyle handshake, structured replies, {@code base:allocation}), as QEMU's {@code qemu-nbd} and
 * {@code nbd-server-start} do. Public API: {@link org.jqmp.nbd.NbdServer}, {@link org.jqmp.nbd.NbdExport},
 * {@link org.jqmp.nbd.NbdServerOptions}, {@link org.jqmp.nbd.NbdLimits}, {@link org.jqmp.nbd.NbdException},
 * {@link org.jqmp.nbd.NbdExportState}. Everything else in the package is package-private implementation.
 */
package org.jqmp.nbd;
