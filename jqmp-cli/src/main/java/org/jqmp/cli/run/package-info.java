/**
 * {@code jqmp run}'s command line in the syntax of QEMU 7.2's system emulator: {@link QemuCommandLine#parse}
 * turns the arguments into {@link RunOptions} or a {@link CommandLineException} worded as QEMU words it. Public
 * API for the {@code jqmp} command (the CLI's {@code run} subcommand); everything else here is package-private.
 */
package org.jqmp.cli.run;
