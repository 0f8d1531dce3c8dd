package org.jqmp.cli;

import java.util.Optional;
import org.jqmp.cli.run.GuestSetup;
import org.jqmp.cli.run.MachineType;
import org.jqmp.cli.run.RunOptions;
import org.jqmp.machine.Machine;
import org.jqmp.machine.chardev.Chardev;
import org.jqmp.machine.guest.GuestDisks;
import org.jqmp.machine.guest.SimulatedGuest;

/**
 * Puts the simulated guest on a {@code jqmp run} machine: only the pc machine runs one ({@code -M none} has no
 * CPU), with its console on the chardev of serial port 0 when that is one of the machine's own chardevs.
 */
final class MachineGuest {
    private MachineGuest() {
    }

    /** Call after the machine's chardevs are open and before {@link Machine#start()}. */
    static Optional<SimulatedGuest> attach(Machine machine, RunOptions run, GuestDisks disks) {
        if (run.machine() != MachineType.PC) {
            return Optional.empty();
        }
        GuestSetup setup = run.guest();
        Optional<Chardev> console = setup.consoleChardev()
                .filter(id -> machine.ownChardevs().infos().stream().anyMatch(c -> c.label().equals(id)))
                .map(machine.ownChardevs()::attachFrontend);
        return Optional.of(SimulatedGuest.attach(machine, setup.options(), console, disks));
    }
}
