/** QEMU's {@code raw} format driver; implementation, used through {@link org.jqmp.block.BlockImages}. */
package org.jqmp.block.raw;
