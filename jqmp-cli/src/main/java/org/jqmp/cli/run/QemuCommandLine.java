package org.jqmp.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.machine.GuestActions;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.chardev.ChardevConfig;

/**
 * Parses {@code jqmp run}'s arguments in the syntax of QEMU 7.2's system emulator and refuses what QEMU refuses
 * with QEMU's words (observed on QEMU 7.2; see the tests for each text).
 *
 * <p>Like QEMU ({@code qemu_init} in {@code softmmu/vl.c}) it works in two steps: first every option in order,
 * checking its syntax (unknown options, missing arguments, QemuOpts/keyval errors, ids, {@code -uuid},
 * {@code -compat}, {@code -display}); then, in QEMU's order, the machine type, the chardevs (in command-line
 * order), the memory size, the machine properties and finally the monitors. The first error ends parsing,
 * preceded by the warnings QEMU would have printed before it.
 *
 * <p>To add an option: an entry in {@link #OPTIONS} (does it take an argument?) and a case in
 * {@link #apply}; a later phase goes into {@link #finish}.
 */
public final class QemuCommandLine {

    /** The options jqmp understands, and whether each takes an argument. */
    static final Map<String, Boolean> OPTIONS = Map.ofEntries(
            Map.entry("S", false), Map.entry("nodefaults", false), Map.entry("nographic", false),
            Map.entry("display", true), Map.entry("M", true), Map.entry("machine", true),
            Map.entry("name", true), Map.entry("uuid", true), Map.entry("m", true), Map.entry("compat", true),
            Map.entry("qmp", true), Map.entry("qmp-pretty", true), Map.entry("mon", true),
            Map.entry("monitor", true), Map.entry("chardev", true), Map.entry("no-shutdown", false),
            Map.entry("no-reboot", false), Map.entry("action", true), Map.entry("watchdog-action", true),
            Map.entry("daemonize", false), Map.entry("pidfile", true), Map.entry("serial", true), Map.entry("device", true),
            Map.entry("jqmp-guest", true), Map.entry("jqmp-guest-disk", true),
            Map.entry("drive", true), Map.entry("blockdev", true), Map.entry("snapshot", false));

    /** QEMU 7.2 options jqmp does not have yet: refused by name instead of as unknown. */
    static final Set<String> NOT_YET = Set.of("accel", "add-fd", "append", "audiodev", "bios",
            "boot", "cdrom", "chroot", "cpu", "D", "d", "dtb",
            "enable-kvm", "fda", "fdb", "fsdev", "full-screen", "g", "global", "h", "hda", "hdb", "hdc", "hdd",
            "help", "icount", "incoming", "initrd", "k", "kernel", "L", "loadvm", "mem-path", "mem-prealloc",
            "msg", "net", "netdev", "nic", "no-acpi", "no-hpet", "no-user-config",
            "numa", "object", "overcommit", "parallel", "plugin", "preconfig", "readconfig", "rtc",
            "runas", "sandbox", "smbios", "smp", "spice", "trace", "usb", "usbdevice",
            "version", "vga", "virtfs", "vnc", "writeconfig"); // QEMU 7.2 has no -watchdog: "invalid option"

    /** {@code monitor_parse} keeps the label in {@code char label[32]}. */
    static final int MAX_LABEL = 31;

    private final List<String> warnings = new ArrayList<>();
    private final List<String> ignored = new ArrayList<>();
    private final MachineOptions machine = new MachineOptions();
    private final Set<String> chardevIds = new HashSet<>();
    private final Set<String> monitorIds = new HashSet<>();
    private final List<QemuOpts> chardevs = new ArrayList<>();
    private final List<MonitorRequest> monitors = new ArrayList<>();
    private boolean startPaused;
    private boolean noDefaults;
    /** {@code -nographic}: the default serial port and monitor go to stdio ({@code qemu_create_default_devices}). */
    private boolean nographic;
    /** No {@code -serial} and no {@code -nodefaults}: the machine's default serial port applies. */
    private boolean defaultSerial = true;
    /** No monitor option ({@code -monitor}, {@code -qmp}, {@code -mon}, {@code -serial mon:}), no {@code -nodefaults}. */
    private boolean defaultMonitor = true;
    private String display = "none";
    private QemuOpts name;
    private QemuOpts memory;
    private Optional<UUID> uuid = Optional.empty();
    private CompatPolicy compat = CompatPolicy.ACCEPT_ALL;
    private int compatMonitorIndex;
    private final ActionOptions actions = new ActionOptions();
    private final SerialOptions serials = new SerialOptions();
    private final GuestCommandLine guest = new GuestCommandLine();
    private final DriveOptions drives = new DriveOptions();
    private final Set<String> driveIds = new HashSet<>();
    private final Set<String> deviceIds = new HashSet<>();
    private boolean daemonize;
    private Optional<Path> pidfile = Optional.empty();

    private QemuCommandLine() {
    }

    /**
     * The options these arguments ask for.
     *
     * @throws CommandLineException with QEMU's text (after its program-name prefix), preceded by the warnings
     *                              QEMU prints before that error; the caller exits with status 1
     */
    public static RunOptions parse(List<String> args) {
        QemuCommandLine commandLine = new QemuCommandLine();
        try {
            commandLine.readAll(args);
            return commandLine.finish();
        } catch (CommandLineException e) {
            List<String> lines = new ArrayList<>(commandLine.warnings);
            lines.addAll(e.messages());
            throw new CommandLineException(lines);
        }
    }

    private void readAll(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (!word.startsWith("-")) {
                throw CommandLineException.at(word,
                        "disk images as plain arguments (QEMU's -hda) are not supported by jqmp yet");
            }
            String option = word.startsWith("--") ? word.substring(2) : word.substring(1);
            Boolean takesArgument = OPTIONS.get(option);
            if (takesArgument == null) {
                throw CommandLineException.at(word, NOT_YET.contains(option)
                        ? "option not supported by jqmp yet" : "invalid option");
            }
            String argument = null;
            if (takesArgument) {
                if (i + 1 >= args.size()) {
                    throw CommandLineException.at(word, "requires an argument");
                }
                argument = args.get(++i);
            }
            apply(option, argument == null ? word : word + " " + argument, argument);
        }
    }

    private void apply(String option, String location, String argument) {
        switch (option) {
            case "S" -> startPaused = true;
            case "nodefaults" -> {
                noDefaults = true;
                defaultSerial = false;
                defaultMonitor = false;
            }
            case "nographic" -> {
                display = "none";
                nographic = true;
            }
            case "display" -> display = DisplayOption.parse(argument, location, ignored);
            case "M", "machine" -> machine.add(argument, location);
            case "name" -> name = merge(name, QemuOpts.parse(QemuOptsList.NAME, location, argument,
                    new HashSet<>(), warnings));
            case "uuid" -> uuid = Optional.of(parseUuid(argument, location));
            case "m" -> memory = merge(memory, QemuOpts.parse(QemuOptsList.MEMORY, location, argument,
                    new HashSet<>(), warnings));
            case "compat" -> compat = CompatOption.parse(argument, location);
            case "qmp" -> addQmp(argument, location, false);
            case "qmp-pretty" -> addQmp(argument, location, true);
            case "monitor" -> addHumanMonitor(argument, location);
            case "mon" -> addMon(location, argument);
            case "chardev" -> chardevs.add(
                    QemuOpts.parse(QemuOptsList.CHARDEV, location, argument, chardevIds, warnings));
            case "action" -> actions.addAction(argument, location, warnings);
            case "no-shutdown" -> actions.add(location, "shutdown", "pause");
            case "no-reboot" -> actions.add(location, "reboot", "shutdown");
            case "watchdog-action" -> actions.add(location, "watchdog", argument);
            case "daemonize" -> daemonize = true;
            case "pidfile" -> pidfile = Optional.of(Path.of(argument));
            case "serial" -> {
                serials.add(location, argument);
                defaultSerial = false;
                defaultMonitor &= !argument.startsWith("mon:");
            }
            case "device" -> addDevice(argument, location);
            case "blockdev" -> drives.addBlockdev(argument, location);
            case "snapshot" -> drives.snapshotByDefault();
            case "jqmp-guest" -> guest.addGuest(argument, location, warnings);
            case "jqmp-guest-disk" -> guest.addDisk(argument, location, warnings);
            case "drive" -> drives.add(QemuOpts.parse(DriveOptions.DRIVE, location, argument, driveIds, warnings));
            default -> throw new IllegalStateException("no handler for -" + option);
        }
    }

    /** {@code -device}: the block models take drives; the others are the guest's (watchdogs). */
    private void addDevice(String argument, String location) {
        String first = argument.split(",", 2)[0];
        String model = first.startsWith("driver=") ? first.substring(7) : first;
        if (DriveOptions.BLOCK_MODELS.contains(model)) {
            drives.addDevice(QemuOpts.parse(DriveOptions.DEVICE, location, argument, deviceIds, warnings));
        } else {
            guest.addDevice(argument, location);
        }
    }

    /** {@code -name} and {@code -m} lists merge: a later occurrence adds parameters, the last one wins. */
    private static QemuOpts merge(QemuOpts earlier, QemuOpts later) {
        return earlier == null ? later : new QemuOpts(later.location(), later.id(), List.of())
                .with(earlier.parameters()).with(later.parameters());
    }

    /** {@code qemu_uuid_parse}: exactly 36 characters, hex digits and four dashes; either case. */
    private static UUID parseUuid(String text, String location) {
        if (!text.matches("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}")) {
            throw CommandLineException.at(location, "failed to parse UUID string: wrong format");
        }
        return UUID.fromString(text);
    }

    /**
     * {@code monitor_parse}: a chardev labelled {@code compat_monitorN} (N counts every {@code -qmp},
     * {@code -qmp-pretty} and {@code -monitor}, but not {@code -mon}) unless the argument is
     * {@code chardev:ID}, then a control monitor on it whose id is that label.
     */
    private void addQmp(String argument, String location, boolean pretty) {
        addMonitor(argument, location, "control", pretty);
    }

    private void addMonitor(String argument, String location, String mode, boolean pretty) {
        defaultMonitor = false;
        String label = argument.startsWith("chardev:") ? truncate(argument.substring(8))
                : "compat_monitor" + compatMonitorIndex;
        if (!argument.startsWith("chardev:")) {
            if (!chardevIds.add(label)) {
                throw new CommandLineException(List.of(location + ": Duplicate ID '" + label + "' for chardev",
                        location + ": parse error: " + argument));
            }
            chardevs.add(new QemuOpts(location, Optional.of(label),
                    LegacyChardevSyntax.parse(argument, location)));
        } else if (!OptionValues.isIdentifier(label)) {
            // Through &error_fatal QEMU 7.2 prints this one without the hint line (observed).
            throw CommandLineException.at(location, "Parameter 'id' expects an identifier");
        }
        if (!monitorIds.add(label)) {
            throw CommandLineException.at(location, "Duplicate ID '" + label + "' for mon");
        }
        List<QemuOpts.Parameter> parameters = new ArrayList<>(List.of(new QemuOpts.Parameter("mode", mode),
                new QemuOpts.Parameter("chardev", label)));
        if (pretty) {
            parameters.add(new QemuOpts.Parameter("pretty", "on"));
        }
        monitors.add(new MonitorRequest(new QemuOpts(location, Optional.of(label), parameters)));
        compatMonitorIndex++;
    }

    private static String truncate(String label) {
        return label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL) : label;
    }

    /**
     * {@code -monitor}: QEMU's human monitor, {@code monitor_parse} with mode readline: a chardev
     * {@code compat_monitorN} from the legacy syntax (or {@code chardev:ID}), and a human monitor on it.
     * {@code -monitor none} (QEMU tests only the first four letters) takes none.
     */
    private void addHumanMonitor(String argument, String location) {
        defaultMonitor = false;
        if (argument.startsWith("none")) {
            return;
        }
        addMonitor(argument, location, "readline", false);
    }

    private void addMon(String location, String argument) {
        monitors.add(new MonitorRequest(QemuOpts.parse(QemuOptsList.MON, location, argument, monitorIds, warnings)));
        defaultMonitor = false;
    }

    /**
     * {@code qemu_create_default_devices} under {@code -nographic}: the serial port and the monitor share stdio
     * (a mux, {@code Ctrl-A c} switches) when both are the defaults; otherwise whichever is still the default
     * gets stdio to itself.
     */
    private void nographicDefaults() {
        if (!nographic) {
            return;
        }
        if (daemonize) {
            throw new CommandLineException(List.of("-nographic cannot be used with -daemonize"));
        }
        if (defaultSerial && defaultMonitor) {
            serials.add("-nographic", "mon:stdio");
        } else if (defaultSerial) {
            serials.add("-nographic", "stdio");
        } else if (defaultMonitor) {
            addHumanMonitor("stdio", "-nographic");
        }
    }

    private RunOptions finish() {
        nographicDefaults();
        GuestActions guestActions = actions.resolve();
        MachineType type = machine.type();
        Set<String> forMonitors = new HashSet<>();
        monitors.forEach(m -> m.opts().last("chardev").ifPresent(forMonitors::add));
        Set<String> forHumanMonitors = new HashSet<>();
        monitors.stream().filter(MonitorRequest::human)
                .forEach(m -> m.opts().last("chardev").ifPresent(forHumanMonitors::add));
        ChardevBackends.Created created = ChardevBackends.createAll(chardevs, daemonize, ignored,
                forMonitors::contains, forHumanMonitors::contains);
        OptionalLong memoryBytes = MachineOptions.memoryBytes(memory, warnings, ignored);
        machine.checkProperties(type, ignored);
        List<MonitorConfig> monitorConfigs = MonitorRequest.resolveAll(monitors, created.monitorSide(),
                created.machineSide());
        // serial_parse runs after the monitors exist (qemu_create_late_backends)
        ChardevBackends.Created serialChardevs = ChardevBackends.createAll(serials.newChardevs(chardevIds),
                daemonize, ignored, id -> false);
        List<ChardevConfig> monitorSide = new ArrayList<>(created.monitorSide());
        monitorSide.addAll(serialChardevs.monitorSide());
        List<MachineChardev> machineSide = new ArrayList<>(created.machineSide());
        machineSide.addAll(serialChardevs.machineSide());
        List<String> frontends = serials.frontends(type, new ChardevBackends.Created(monitorSide, machineSide),
                monitorConfigs);
        List<DriveRequest> driveRequests = drives.resolve(type, noDefaults, frontends.size());
        GuestSetup guestSetup = guest.resolve(type, serials.firstPort(type));
        return new RunOptions(type, startPaused, noDefaults, display, guestName(), uuid, memoryBytes, monitorSide,
                monitorConfigs, compat, guestActions, daemonize, pidfile, warnings, ignored, machineSide, frontends,
                driveRequests, drives.blockdevs(), guestSetup);
    }

    private Optional<String> guestName() {
        if (name == null) {
            return Optional.empty();
        }
        for (String key : List.of("process", "debug-threads")) {
            name.last(key).ifPresent(v -> ignored.add(name.location() + ": '" + key + "' has no effect in jqmp"));
        }
        return name.last("guest").filter(guest -> !guest.isEmpty());
    }
}
