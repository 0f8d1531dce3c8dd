package org.jqmp.machine.chardev;

import org.jqmp.machine.MachineException;

/** A chardev could not be opened; the message is QEMU's text (without the option's location). */
public final class ChardevException extends MachineException {
    public ChardevException(String message) {
        super(message);
    }
}
