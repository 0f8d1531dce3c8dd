/**
 * The logic of {@code jqmp img}, one class per qemu-img subcommand: each takes a parsed {@code Options} record
 * and two PrintStreams and returns qemu-img's exit code. The CLI module only parses arguments into the records.
 */
package org.jqmp.block.img;
