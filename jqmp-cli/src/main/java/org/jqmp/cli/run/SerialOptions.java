package org.jqmp.cli.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jqmp.machine.chardev.ChardevBackend;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.chardev.StdioChardevConfig;

/**
 * {@code -serial}: each occurrence is serial port N in order ({@code serial_parse} in QEMU 7.2's
 * {@code softmmu/vl.c}). {@code none} leaves the port empty but still takes its number; {@code chardev:ID} uses
 * an existing chardev; anything else is the short chardev syntax for a new chardev labelled {@code serialN}.
 * Only a machine with serial ports opens them as front ends: the pc's four ISA ports; {@code -M none} has none,
 * so there the chardevs exist with their front end closed (observed).
 */
final class SerialOptions {
    /** {@code MAX_ISA_SERIAL_PORTS}: the pc machine's serial ports. */
    static final int PC_SERIAL_PORTS = 4;

    private record Request(String location, String argument) {
    }

    private final List<Request> requests = new ArrayList<>();

    void add(String location, String argument) {
        requests.add(new Request(location, argument));
    }

    /** The chardev options for the ports that make their own chardev, labelled {@code serialN}, in order. */
    List<QemuOpts> newChardevs(Set<String> chardevIds) {
        List<QemuOpts> chardevs = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            if (request.argument().equals("none") || request.argument().startsWith("chardev:")) {
                continue;
            }
            String label = "serial" + i;
            chardevIds.add(label);
            chardevs.add(new QemuOpts(request.location(), Optional.of(label),
                    LegacyChardevSyntax.parseForSerial(request.argument(), request.location())));
        }
        return chardevs;
    }

    /**
     * {@code -serial mon:stdio} beside another user of stdio (a {@code -qmp stdio} made before the serial ports):
     * QEMU refuses the serial port's chardev.
     */
    private void checkOneStdio(ChardevBackends.Created created) {
        // by id: a human monitor's stdio is listed on both sides (ChardevBackends)
        Set<String> users = new HashSet<>();
        created.monitorSide().stream().filter(c -> c instanceof StdioChardevConfig).forEach(c -> users.add(c.id()));
        created.machineSide().stream().filter(c -> c.backend() instanceof ChardevBackend.Stdio)
                .forEach(c -> users.add(c.backend().id()));
        if (users.size() > 1) {
            String location = requests.stream().filter(r -> r.argument().endsWith("stdio")).map(Request::location)
                    .findFirst().orElse("-serial");
            throw CommandLineException.at(location, "cannot use stdio by multiple character devices");
        }
    }

    /**
     * The chardev of each serial port the machine opens, in port order, after QEMU's checks: the chardev must
     * exist, and a chardev has one front end only (a monitor's included).
     */
    List<String> frontends(MachineType type, ChardevBackends.Created created, List<MonitorConfig> monitors) {
        checkOneStdio(created);
        Set<String> muxes = new HashSet<>();
        created.machineSide().stream().filter(c -> c.backend() instanceof ChardevBackend.Mux)
                .forEach(c -> muxes.add(c.backend().id()));
        Set<String> inUse = new HashSet<>();
        monitors.forEach(m -> inUse.add(m.chardevId()));
        List<String> frontends = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            if (request.argument().equals("none")) {
                continue;
            }
            String id = request.argument().startsWith("chardev:") ? request.argument().substring(8) : "serial" + i;
            if (!created.exists(id)) {
                throw CommandLineException.at(request.location(),
                        "could not connect serial device to character backend '" + request.argument() + "'");
            }
            if (type == MachineType.PC && i < PC_SERIAL_PORTS) {
                if (!muxes.contains(id) && !inUse.add(id)) { // a mux takes several front ends
                    // qemu_chr_fe_init, reported without a location when the machine is built
                    throw new CommandLineException("Device '" + id + "' is in use");
                }
                frontends.add(id);
            }
        }
        return frontends;
    }

    /**
     * The chardev of serial port 0 (the guest's {@code ttyS0}, where its console is) on a machine that has serial
     * ports; call after {@link #frontends} has checked the ports.
     */
    Optional<String> firstPort(MachineType type) {
        if (type != MachineType.PC || requests.isEmpty() || requests.getFirst().argument().equals("none")) {
            return Optional.empty();
        }
        String argument = requests.getFirst().argument();
        return Optional.of(argument.startsWith("chardev:") ? argument.substring(8) : "serial0");
    }
}
