package org.jqmp.cli;

import java.io.PrintWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.jqmp.cli.run.GuestSetup;
import org.jqmp.cli.run.MachineType;
import org.jqmp.cli.run.RunOptions;
import org.jqmp.machine.Machine;
import org.jqmp.machine.chardev.Chardev;
import org.jqmp.machine.chardev.ChardevBackend;
import org.jqmp.machine.chardev.ChardevException;
import org.jqmp.machine.guest.GuestDisks;
import org.jqmp.machine.guest.SimulatedGuest;

/**
 * Puts the simulated guest on a {@code jqmp run} machine: only the pc machine runs one ({@code -M none} has no
 * CPU), with its console on the chardev of serial port 0 when that is one of the machine's own chardevs. The
 * default machine (no monitor option, no {@code -serial}, no {@code -nodefaults}), where QEMU would put serial 0
 * on a virtual console, gets it on a Unix socket beside its QMP socket, so that a person can talk to the guest.
 */
final class MachineGuest {
    static final String CONSOLE_SOCKET = "console.sock";

    private MachineGuest() {
    }

    /**
     * Call after the machine's chardevs are open and before {@link Machine#start()}.
     *
     * @param defaultDirectory where the default machine's sockets are; empty when a monitor option was given
     */
    static Optional<SimulatedGuest> attach(Machine machine, RunOptions run, GuestDisks disks,
                                           Optional<Path> defaultDirectory, PrintWriter err) {
        if (run.machine() != MachineType.PC) {
            return Optional.empty();
        }
        GuestSetup setup = run.guest();
        Optional<Chardev> console = setup.consoleChardev()
                .filter(id -> machine.ownChardevs().infos().stream().anyMatch(c -> c.label().equals(id)))
                .map(machine.ownChardevs()::attachFrontend);
        if (console.isEmpty() && defaultDirectory.isPresent() && run.serialFrontends().isEmpty()
                && !run.noDefaults()) {
            console = defaultConsole(machine, defaultDirectory.get(), err);
        }
        return Optional.of(SimulatedGuest.attach(machine, setup.options(), console, disks));
    }

    private static Optional<Chardev> defaultConsole(Machine machine, Path directory, PrintWriter err) {
        Path socket = directory.resolve(CONSOLE_SOCKET);
        try {
            machine.ownChardevs().open(new ChardevBackend.Socket("serial0", UnixDomainSocketAddress.of(socket),
                    true, false, "unix:" + socket + ",server=on", 0));
            err.println("jqmp: guest console (serial port 0) on " + socket);
            err.println("jqmp: try: socat - UNIX-CONNECT:" + socket + "   then type help");
            err.flush();
            return Optional.of(machine.ownChardevs().attachFrontend("serial0"));
        } catch (ChardevException e) {
            err.println("jqmp: warning: no guest console: " + e.getMessage());
            return Optional.empty();
        }
    }
}
