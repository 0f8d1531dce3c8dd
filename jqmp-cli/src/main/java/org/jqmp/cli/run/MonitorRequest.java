package org.jqmp.cli.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.machine.chardev.ChardevBackend;
import org.jqmp.monitor.chardev.ChardevConfig;

/**
 * One monitor the command line asks for: {@code -mon [chardev=]ID[,mode=readline|control][,pretty=on|off]},
 * or what {@code -qmp}/{@code -qmp-pretty} turn into ({@code monitor_parse} in QEMU 7.2's {@code softmmu/vl.c}:
 * {@code mode=control,chardev=LABEL}). Checked after every chardev exists, in QEMU's order
 * ({@code monitor_init_opts}, {@code monitor_init}).
 *
 * <p>A human monitor ({@code mode=readline}, QEMU's default for {@code -mon}) belongs to the machine, which
 * serves HMP on its chardev ({@link MachineChardev#humanMonitor()}); only QMP monitors become
 * {@link MonitorConfig}s for the QMP server.
 */
record MonitorRequest(QemuOpts opts) {

    static List<MonitorConfig> resolveAll(List<MonitorRequest> requests, List<ChardevConfig> chardevs,
                                          List<MachineChardev> machineChardevs) {
        List<MonitorConfig> monitors = new ArrayList<>();
        Set<String> inUse = new HashSet<>();
        for (MonitorRequest request : requests) {
            Optional<Optional<MonitorConfig>> onMux = request.onMux(machineChardevs);
            if (onMux.isPresent()) {
                onMux.get().ifPresent(monitors::add);
                continue;
            }
            if (!request.human()) {
                request.refuseMachineChardev(machineChardevs);
            }
            request.resolve(chardevs, machineChardevs, inUse).ifPresent(monitors::add);
        }
        return monitors;
    }

    /** {@code mode=readline}, QEMU's default for {@code -mon}: a human monitor. */
    boolean human() {
        return opts.last("mode").orElse("readline").equals("readline");
    }

    /**
     * A monitor on a mux belongs to the machine's chardev: a human monitor is the machine's
     * ({@link MachineChardev#humanMonitor()}), a QMP monitor is returned, and jqmp run serves its sessions on
     * the mux. Empty when the chardev is not a machine's mux.
     */
    private Optional<Optional<MonitorConfig>> onMux(List<MachineChardev> machineChardevs) {
        boolean mux = opts.last("chardev").flatMap(id -> machineChardevs.stream()
                .filter(c -> c.backend().id().equals(id) && c.backend() instanceof ChardevBackend.Mux)
                .findFirst()).isPresent();
        if (!mux) {
            return Optional.empty();
        }
        String mode = opts.last("mode").orElse("readline");
        boolean pretty = opts.bool("pretty", false);
        return switch (mode) {
            case "readline" -> {
                if (pretty) {
                    throw CommandLineException.at(opts.location(), "'pretty' is not compatible with HMP monitors");
                }
                yield Optional.of(Optional.empty());
            }
            case "control" -> Optional.of(Optional.of(new MonitorConfig(opts.last("chardev").orElseThrow(),
                    pretty)));
            default -> throw CommandLineException.at(opts.location(),
                    "Parameter 'mode' does not accept value '" + mode + "'");
        };
    }

    /** A monitor speaks through a socket or stdio; on a machine chardev (null, file, ringbuf, pty) it cannot. */
    private void refuseMachineChardev(List<MachineChardev> machineChardevs) {
        // a human monitor's chardev is the machine's too: a second monitor on it is refused as in use (resolve)
        opts.last("chardev").flatMap(id -> machineChardevs.stream().filter(c -> c.backend().id().equals(id))
                .filter(c -> !c.humanMonitor()).findFirst()).ifPresent(c -> {
                    throw CommandLineException.at(opts.location(), "a monitor on a chardev of backend '"
                            + backendName(c) + "' is not supported by jqmp (supported: socket, stdio)");
                });
    }

    private static String backendName(MachineChardev chardev) {
        return switch (chardev.backend()) {
            case ChardevBackend.Null n -> "null";
            case ChardevBackend.File f -> "file";
            case ChardevBackend.Ringbuf r -> r.name();
            case ChardevBackend.Pty p -> "pty";
            case ChardevBackend.Socket s -> "socket";
            case ChardevBackend.Mux m -> "mux";
            case ChardevBackend.Stdio s -> "stdio";
        };
    }

    private Optional<MonitorConfig> resolve(List<ChardevConfig> chardevs, List<MachineChardev> machineChardevs,
                                            Set<String> inUse) {
        String location = opts.location();
        String mode = opts.last("mode").orElse("readline");
        if (!mode.equals("readline") && !mode.equals("control")) {
            throw CommandLineException.at(location, "Parameter 'mode' does not accept value '" + mode + "'");
        }
        String chardev = opts.last("chardev").orElseThrow(() ->
                CommandLineException.at(location, "Parameter 'chardev' is missing"));
        if (chardevs.stream().noneMatch(c -> c.id().equals(chardev))
                && machineChardevs.stream().noneMatch(c -> c.backend().id().equals(chardev))) {
            throw CommandLineException.at(location, "chardev \"" + chardev + "\" not found");
        }
        boolean pretty = opts.bool("pretty", false);
        boolean control = mode.equals("control");
        if (!control && pretty) {
            throw CommandLineException.at(location, "'pretty' is not compatible with HMP monitors");
        }
        if (!inUse.add(chardev)) {
            throw CommandLineException.at(location, "Device '" + chardev + "' is in use");
        }
        if (!control) {
            return Optional.empty(); // the machine's: ChardevBackends made its chardev a MachineChardev
        }
        return Optional.of(new MonitorConfig(chardev, pretty));
    }
}
