/**
 * QEMU's {@code qcow2} format driver (spec: QEMU docs/interop/qcow2.txt): header, L1/L2 mapping, refcounts,
 * allocation, check and repair. Opened through {@link org.jqmp.block.BlockImages}; {@code Qcow2Image},
 * {@code Qcow2Checks}, {@code Qcow2Edits} and {@code Snapshots} are public for the img tool.
 */
package org.jqmp.block.qcow2;
