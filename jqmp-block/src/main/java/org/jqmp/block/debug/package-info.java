/**
 * QEMU's {@code blkdebug} filter driver: a node that passes requests to its {@code image} child and fails the ones
 * its rules select, with the errno a rule names, so that error policies ({@code werror}, {@code rerror}) can be
 * exercised without a broken disk. Used by the machine's block graph ({@code blockdev-add driver=blkdebug}) and by
 * tests.
 */
package org.jqmp.block.debug;
