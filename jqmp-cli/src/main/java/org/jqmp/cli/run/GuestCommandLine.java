package org.jqmp.cli.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jqmp.machine.guest.DiskWorkload;
import org.jqmp.machine.guest.GuestLimits;
import org.jqmp.machine.guest.GuestOptions;

/**
 * The simulated guest's options: jqmp's own {@code -jqmp-guest boot-delay=MS,watchdog-timeout=MS} and
 * {@code -jqmp-guest-disk DEV,profile=read|write|mixed|idle[,rate=N][,size=BYTES]}, and QEMU's
 * {@code -device i6300esb} / {@code -device ib700}, the watchdogs the guest feeds, and {@code -device pvpanic} /
 * {@code -device pvpanic-pci}, through which it reports a panic. Other {@code -device} models are refused: jqmp
 * has no other devices yet.
 */
final class GuestCommandLine {
    static final QemuOptsList GUEST = new QemuOptsList("jqmp-guest", null, Map.of(
            "boot-delay", QemuOptsList.ValueType.NUMBER, "watchdog-timeout", QemuOptsList.ValueType.NUMBER));
    static final QemuOptsList GUEST_DISK = new QemuOptsList("jqmp-guest-disk", "device", Map.of(
            "device", QemuOptsList.ValueType.STRING, "profile", QemuOptsList.ValueType.STRING,
            "rate", QemuOptsList.ValueType.NUMBER, "size", QemuOptsList.ValueType.STRING));
    /** The watchdog models and the bus each needs ({@code hw/watchdog/wdt_i6300esb.c}, {@code wdt_ib700.c}). */
    static final Map<String, String> WATCHDOGS = Map.of("i6300esb", "PCI", "ib700", "ISA");
    /** The panic notifiers and their bus ({@code hw/misc/pvpanic-isa.c}, {@code pvpanic-pci.c}). */
    static final Map<String, String> PANIC_DEVICES = Map.of("pvpanic", "ISA", "pvpanic-pci", "PCI");

    private record Device(String location, String model) {
    }

    private GuestOptions options = GuestOptions.DEFAULT;
    private final List<DiskWorkload> workloads = new ArrayList<>();
    private final List<Device> devices = new ArrayList<>();
    private final Set<String> deviceIds = new HashSet<>();

    /** {@code -jqmp-guest}: a later occurrence's values win. */
    void addGuest(String argument, String location, List<String> warnings) {
        QemuOpts opts = QemuOpts.parse(GUEST, location, argument, new HashSet<>(), warnings);
        try {
            for (String name : List.of("boot-delay", "watchdog-timeout")) {
                Optional<String> value = opts.last(name);
                if (value.isPresent()) {
                    var delay = GuestLimits.DEFAULT.checkDelay(name, Long.parseLong(value.get()));
                    options = name.equals("boot-delay") ? options.withBootDelay(delay)
                            : options.withWatchdogTimeout(delay);
                }
            }
        } catch (IllegalArgumentException e) {
            throw CommandLineException.at(location, e.getMessage());
        }
    }

    /** {@code -jqmp-guest-disk}: one disk's workload, started when the guest's OS is up. */
    void addDisk(String argument, String location, List<String> warnings) {
        QemuOpts opts = QemuOpts.parse(GUEST_DISK, location, argument, new HashSet<>(), warnings);
        List<String> words = new ArrayList<>();
        words.add(opts.last("device").orElseThrow(() -> CommandLineException.at(location,
                "Parameter 'device' is missing")));
        words.add(opts.last("profile").orElse("read"));
        opts.last("rate").ifPresent(rate -> words.add("rate=" + rate));
        opts.last("size").ifPresent(size -> words.add("size=" + size));
        try {
            workloads.add(DiskWorkload.parse(words, GuestLimits.DEFAULT));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw CommandLineException.at(location, e.getMessage());
        }
    }

    /**
     * {@code -device MODEL[,id=ID]}: checked for its syntax at once, created with the machine ({@link #resolve}).
     * A watchdog has no properties jqmp models but {@code id}; QEMU names any other one this way.
     */
    void addDevice(String argument, String location) {
        String[] parts = argument.split(",", -1);
        String model = parts[0].startsWith("driver=") ? parts[0].substring(7) : parts[0];
        for (int i = 1; i < parts.length; i++) {
            String key = parts[i].contains("=") ? parts[i].substring(0, parts[i].indexOf('=')) : parts[i];
            if (key.equals("id")) {
                String id = parts[i].substring(3);
                if (!OptionValues.isIdentifier(id)) {
                    throw CommandLineException.at(location, OptionValues.badIdentifier());
                }
                if (!deviceIds.add(id)) {
                    throw CommandLineException.at(location, "Duplicate ID '" + id + "' for device");
                }
            } else if (bus(model) != null) {
                throw CommandLineException.at(location, "Property '" + model + "." + key + "' not found");
            }
        }
        devices.add(new Device(location, model));
    }

    /** Creates the devices on the machine (QEMU's bus checks) and says where the console is. */
    GuestSetup resolve(MachineType machine, Optional<String> console) {
        boolean isaPanicDevice = false;
        for (Device device : devices) {
            String bus = bus(device.model());
            if (bus == null) {
                throw CommandLineException.at(device.location(), "device model '" + device.model()
                        + "' not supported by jqmp yet (it has " + String.join(", ", models()) + ")");
            }
            if (machine != MachineType.PC) {
                throw CommandLineException.at(device.location(), "No '" + bus + "' bus found for device '"
                        + device.model() + "'");
            }
            if (PANIC_DEVICES.containsKey(device.model())) {
                if (device.model().equals("pvpanic") && isaPanicDevice) {
                    // the ISA model tells the firmware its port in one fw_cfg file (observed on QEMU 7.2; the
                    // PCI model has none, so several pvpanic-pci are fine)
                    throw CommandLineException.at(device.location(), "duplicate fw_cfg file name: etc/pvpanic-port");
                }
                isaPanicDevice |= device.model().equals("pvpanic");
                if (options.panicDevice().isEmpty()) {
                    options = options.withPanicDevice(device.model());
                }
            } else if (options.watchdog().isEmpty()) {
                options = options.withWatchdog(device.model());
            }
        }
        return new GuestSetup(options.withWorkloads(workloads), machine == MachineType.PC ? console
                : Optional.empty());
    }

    private static String bus(String model) {
        return WATCHDOGS.getOrDefault(model, PANIC_DEVICES.get(model));
    }

    /** Every {@code -device} model jqmp has: the guest's and the block layer's. */
    private static List<String> models() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(WATCHDOGS.keySet());
        all.addAll(PANIC_DEVICES.keySet());
        all.addAll(DriveOptions.BLOCK_MODELS);
        return List.copyOf(all);
    }
}
