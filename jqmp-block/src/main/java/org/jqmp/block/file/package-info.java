/** QEMU's {@code file} protocol driver and its locking; implementation, used through {@link org.jqmp.block.BlockImages}. */
package org.jqmp.block.file;
