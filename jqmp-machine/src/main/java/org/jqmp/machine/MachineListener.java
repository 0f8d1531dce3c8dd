package org.jqmp.machine;

import org.jqmp.api.RunState;
import org.jqmp.api.ShutdownCause;

/**
 * What the hardware tells the guest: the simulated guest (and tests) listen here. Called under the machine
 * lock, after the change and its events; a listener must not block.
 */
public interface MachineListener {
    /** The run state changed (never called for a change to the same state). */
    default void runStateChanged(RunState from, RunState to) {
    }

    /** The ACPI power button was pressed ({@code system_powerdown}, the watchdog's {@code shutdown} action). */
    default void powerButtonPressed() {
    }

    /** The machine was reset; the guest starts over from its firmware. */
    default void reset(ShutdownCause cause) {
    }

    /** A suspended guest was woken. */
    default void wokenUp() {
    }

    /** A non-maskable interrupt was sent to the guest (the watchdog's {@code inject-nmi} action). */
    default void nmi() {
    }
}
