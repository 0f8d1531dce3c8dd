/** {@code jqmp nbd}: serve one image over NBD with qemu-nbd's options, through jqmp-nbd. Internal to the CLI. */
package org.jqmp.cli.nbd;
