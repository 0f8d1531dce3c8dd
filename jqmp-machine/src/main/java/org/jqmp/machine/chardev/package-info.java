/**
 * The machine's character devices (QEMU's {@code chardev/}): the backends that are not a QMP monitor's (null,
 * file, ringbuf, pty), the front ends attached to them, and the commands on them ({@code ringbuf-write},
 * {@code ringbuf-read}, {@code chardev-remove}). Public: {@code jqmp run} builds them from {@code -chardev}.
 */
package org.jqmp.machine.chardev;
