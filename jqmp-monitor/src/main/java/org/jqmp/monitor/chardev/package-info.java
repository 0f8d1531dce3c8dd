/**
 * Character-device configuration as QEMU's {@code -chardev} option describes it: the backends a QMP monitor
 * can sit on (socket, stdio). The machine issue adds the other backends. Public API.
 */
package org.jqmp.monitor.chardev;
