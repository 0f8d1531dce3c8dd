package org.jqmp.machine.guest;

import org.jqmp.machine.MachineException;

/**
 * A disk request from the guest failed (no such disk, no medium, an I/O error, a tray that cannot be locked).
 * {@link GuestDisks} implementations throw it; the guest prints the message on its console and goes on, as an
 * operating system logs an I/O error.
 */
public final class GuestDiskException extends MachineException {
    public GuestDiskException(String message) {
        super(message);
    }
}
