/**
 * {@code jqmp img}: qemu-img 7.2's command-line syntax (options, positional arguments, usage errors and exit
 * codes) over the logic in {@code org.jqmp.block.img}. Only {@link org.jqmp.cli.img.ImgCommand} is used from
 * outside this package (it is registered as a subcommand of {@code jqmp}).
 */
package org.jqmp.cli.img;
