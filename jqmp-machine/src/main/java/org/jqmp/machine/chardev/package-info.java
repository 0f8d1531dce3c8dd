/**
 * The machine's character devices (QEMU's {@code chardev/}): every backend that is not a QMP monitor's own
 * socket or stdio (null, file, ringbuf/memory, pty, socket, stdio under a mux, mux), the front ends attached to
 * them (serial ports, a human monitor or QMP sessions on a mux), and the commands on them ({@code chardev-add},
 * {@code chardev-change}, {@code chardev-remove}, {@code ringbuf-write}, {@code ringbuf-read}, {@code add_client}).
 * Socket chardevs register with yank through {@link org.jqmp.machine.chardev.ChardevYank}. Public: {@code jqmp run}
 * builds them from {@code -chardev}, {@code -serial} and {@code -mon}.
 */
package org.jqmp.machine.chardev;
