/**
 * The virtual machine behind the monitor: its run state ({@link org.jqmp.machine.RunStateMachine}, QEMU's
 * transition table), the actions taken on guest events, and the machine's QMP commands
 * ({@link org.jqmp.machine.Machine#commands()}), which implement the schema-generated handler interfaces with
 * typed records. Public API for the CLI (and, later, the simulated guest); the handlers live in
 * {@code org.jqmp.machine.internal}.
 */
package org.jqmp.machine;
