/**
 * jqmp's block layer, public API: open and create disk images ({@link org.jqmp.block.BlockImages}), read
 * and write them through {@link org.jqmp.block.BlockNode}. Everyone may use this package; the driver
 * packages ({@code file}, {@code raw}, {@code qcow2}) are implementation, used through it.
 */
package org.jqmp.block;
