package org.jqmp.cli.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.machine.GuestActions;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.chardev.ChardevConfig;

/**
 * What a {@code qemu-system-x86_64}-style command line asks of {@code jqmp run}, as {@link QemuCommandLine}
 * parses it.
 *
 * @param machine     {@code -M}/{@code -machine type=}; {@link MachineType#PC} by default
 * @param startPaused {@code -S}: stay in {@code prelaunch} until {@code cont}
 * @param noDefaults  {@code -nodefaults}: no default devices (serial, parallel, default monitor, ...)
 * @param display     {@code -display}; only {@code none} exists in jqmp
 * @param name        {@code -name [guest=]NAME}; empty when absent or given as the empty string
 * @param uuid        {@code -uuid}; empty when absent (QEMU then reports the nil UUID)
 * @param memoryBytes {@code -m}: guest RAM in bytes (suffix-less numbers are MiB; rounded up to 8 KiB);
 *                    empty when absent or 0, both meaning the machine's default (pc: 128 MiB, none: 0)
 * @param chardevs    every {@code -chardev} and the implicit chardev of each {@code -qmp}/{@code -qmp-pretty},
 *                    in command-line order (QEMU creates them in that order)
 * @param monitors    the QMP monitors, in command-line order ({@code -qmp}, {@code -qmp-pretty},
 *                    {@code -mon mode=control})
 * @param compat      {@code -compat}; each {@code -compat} replaces the whole policy, as in QEMU 7.2
 * @param actions     {@code -action}, {@code -no-shutdown}, {@code -no-reboot}, {@code -watchdog-action}
 * @param daemonize   {@code -daemonize}: detach once the machine serves
 * @param pidfile     {@code -pidfile}: where to write the process id (locked while the machine runs)
 * @param warnings    the warnings QEMU 7.2 prints for this command line (each without the program-name prefix;
 *                    a warning may span lines), to be printed before starting
 * @param ignored     what was accepted but has no effect in jqmp, each {@code "OPTION: reason"}
 * @param machineChardevs the chardevs the machine opens (null, file, ringbuf, pty, and a socket no monitor
 *                        uses - which is in {@code chardevs} too), in command-line order
 * @param serialFrontends the chardev of each serial port the machine opens, in port order
 * @param drives      every {@code -drive} in command-line order, then the machine's default drives, then the
 *                    {@code -device} models on {@code -blockdev} nodes
 * @param blockdevs   every {@code -blockdev}, opened before the drives
 * @param guest       the simulated guest ({@code -jqmp-guest}, {@code -jqmp-guest-disk}, watchdog
 *                    {@code -device}s) and where its console is
 */
public record RunOptions(MachineType machine, boolean startPaused, boolean noDefaults, String display,
                         Optional<String> name, Optional<UUID> uuid, OptionalLong memoryBytes,
                         List<ChardevConfig> chardevs, List<MonitorConfig> monitors, CompatPolicy compat,
                         GuestActions actions, boolean daemonize, Optional<Path> pidfile,
                         List<String> warnings, List<String> ignored, List<MachineChardev> machineChardevs,
                         List<String> serialFrontends, List<DriveRequest> drives, List<BlockdevArgument> blockdevs,
                         GuestSetup guest) {

    public RunOptions {
        chardevs = List.copyOf(chardevs);
        monitors = List.copyOf(monitors);
        warnings = List.copyOf(warnings);
        ignored = List.copyOf(ignored);
        machineChardevs = List.copyOf(machineChardevs);
        serialFrontends = List.copyOf(serialFrontends);
        drives = List.copyOf(drives);
        blockdevs = List.copyOf(blockdevs);
    }

    /** The chardev a monitor sits on. */
    public Optional<ChardevConfig> chardev(String id) {
        return chardevs.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
