package org.jqmp.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jqmp.block.BlockImages;
import org.jqmp.machine.block.DriveConfig;
import org.jqmp.machine.block.DriveConfig.CacheMode;
import org.jqmp.machine.block.DriveConfig.ErrorAction;
import org.jqmp.machine.block.DriveConfig.Interface;

/**
 * {@code -drive}, as QEMU 7.2's {@code drive_new} and {@code blockdev_init} read it: the interface, media,
 * place on the bus (index, or bus and unit, or the first free place), QEMU's automatic names
 * ({@code ide0-hd0}, {@code ide1-cd0}, {@code virtio0}, {@code none0}), cache and error options, with QEMU's
 * texts for bad values; and the pc machine's default empty drives unless {@code -nodefaults}.
 */
final class DriveOptions {
    /** {@code -drive} takes any key (unknown ones go to the format driver, which refuses them). */
    static final QemuOptsList DRIVE = new QemuOptsList("drive", "file", Map.of());

    /** The keys jqmp's drives understand; any other one is refused the way the format driver refuses it. */
    private static final Set<String> KNOWN = Set.of("file", "format", "if", "media", "index", "bus", "unit",
            "readonly", "read-only", "cache", "werror", "rerror", "node-name", "snapshot", "aio", "discard",
            "detect-zeroes", "copy-on-read", "serial", "addr");
    /** Interfaces QEMU has and jqmp does not model. */
    private static final Set<String> OTHER_INTERFACES = Set.of("scsi", "floppy", "pflash", "mtd", "sd", "xen");
    /** IDE on the pc machine: two buses ({@code ide.0}, {@code ide.1}) of two units. */
    private static final int IDE_BUSES = 2, IDE_UNITS = 2;
    /** The QOM index of the first IDE device of a pc machine started with {@code -nodefaults}, no serial. */
    private static final int FIRST_IDE_DEVICE = 18;
    /**
     * Devices QEMU's pc machine adds before the IDE drives unless {@code -nodefaults} (and then at least one
     * serial port: the default one when no {@code -serial} is given).
     */
    private static final int DEFAULT_DEVICES = 4;

    /** The device models that take a drive ({@code -device MODEL,drive=ID}). */
    static final Set<String> BLOCK_MODELS = Set.of("ide-hd", "ide-cd", "virtio-blk-pci", "virtio-blk");
    /** {@code -device} for those models: any key; the model checks its own. */
    static final QemuOptsList DEVICE = new QemuOptsList("device", "driver", Map.of());

    private final List<QemuOpts> options = new ArrayList<>();
    private final List<QemuOpts> devices = new ArrayList<>();
    private final List<BlockdevArgument> blockdevs = new ArrayList<>();
    private boolean snapshotByDefault;

    void add(QemuOpts opts) {
        options.add(opts);
    }

    /** {@code -snapshot}: every {@code -drive} as with {@code snapshot=on}, unless it says {@code snapshot=off}. */
    void snapshotByDefault() {
        snapshotByDefault = true;
    }

    void addDevice(QemuOpts opts) {
        devices.add(opts);
    }

    void addBlockdev(String argument, String location) {
        blockdevs.add(BlockdevArgument.parse(argument, location));
    }

    List<BlockdevArgument> blockdevs() {
        return List.copyOf(blockdevs);
    }

    private record Place(Interface iface, int bus, int unit) {
    }

    /** The drives in command-line order, then the default ones. */
    List<DriveRequest> resolve(MachineType machine, boolean noDefaults, int serialPorts) {
        List<DriveRequest> drives = new ArrayList<>();
        Set<Place> taken = new HashSet<>();
        List<Place> places = new ArrayList<>();
        for (QemuOpts opts : options) {
            Place place = place(opts, machine, taken);
            places.add(place);
            boolean snapshot = opts.has("snapshot") ? bool(opts, "snapshot") : snapshotByDefault;
            drives.add(new DriveRequest(opts.location(), config(opts, place), null, snapshot));
        }
        if (machine == MachineType.PC && !noDefaults) {
            Place cd = new Place(Interface.IDE, 1, 0);
            if (taken.add(cd)) {
                places.add(cd);
                drives.add(new DriveRequest(null, DriveConfig.cdrom("ide1-cd0", null, null, null), null));
            }
            drives.add(new DriveRequest(null, new DriveConfig("floppy0", "/machine/unattached/device[16]",
                    Interface.FLOPPY, false, null, null, false, CacheMode.WRITEBACK, ErrorAction.ENOSPC,
                    ErrorAction.REPORT, null), null));
            drives.add(new DriveRequest(null, new DriveConfig("sd0", null, Interface.SD, false, null, null, false,
                    CacheMode.WRITEBACK, ErrorAction.ENOSPC, ErrorAction.REPORT, null), null));
        }
        long anonymous = devices.stream().filter(d -> d.id().isEmpty()).count();
        List<DriveRequest> resolved = new ArrayList<>(withDevicePaths(drives, places, noDefaults, serialPorts,
                (int) anonymous));
        attachDevices(resolved, taken);
        return resolved;
    }

    /**
     * {@code -device ide-hd|ide-cd|virtio-blk-pci,drive=ID}: the model takes a {@code -drive if=none} backend
     * (which keeps its name) or a {@code -blockdev} node (an unnamed backend); its QOM path is its id, or
     * {@code /machine/peripheral-anon/device[N]}. An {@code ide-cd} without a drive is an empty CD-ROM.
     */
    private void attachDevices(List<DriveRequest> drives, Set<Place> taken) {
        Set<String> used = new HashSet<>();
        int anonymous = 0;
        for (QemuOpts device : devices) {
            String model = device.last("driver").orElseThrow();
            boolean ide = model.startsWith("ide-"), cdrom = model.equals("ide-cd");
            String qdev = device.id().isPresent() ? device.id().get()
                    : "/machine/peripheral-anon/device[" + anonymous++ + "]" + (ide ? "" : "/virtio-backend");
            Interface iface = ide ? Interface.IDE : Interface.VIRTIO;
            if (ide) {
                idePlace(device, taken);
            }
            String ref = device.last("drive").orElse(null);
            if (ref == null) {
                if (!cdrom) {
                    throw CommandLineException.at(device.location(), ide ? "No drive specified"
                            : "drive property not set");
                }
                drives.add(new DriveRequest(device.location(), new DriveConfig("", qdev, iface, true, null, null, true,
                        CacheMode.WRITEBACK, ErrorAction.ENOSPC, ErrorAction.REPORT, null), null));
                continue;
            }
            if (!used.add(ref)) {
                throw CommandLineException.at(device.location(), "Drive '" + ref
                        + "' is already in use by another device");
            }
            int index = indexOf(drives, ref);
            if (index >= 0) {
                DriveConfig c = drives.get(index).config();
                if (c.iface() != Interface.NONE) {
                    throw CommandLineException.at(device.location(), "Drive '" + ref
                            + "' is already in use by another device");
                }
                drives.set(index, new DriveRequest(drives.get(index).location(), new DriveConfig(c.name(), qdev, iface,
                        cdrom, c.file(), c.format(), c.readOnly() || cdrom, c.cache(), c.werror(), c.rerror(),
                        c.nodeName()), null, drives.get(index).snapshot()));
            } else if (blockdevs.stream().anyMatch(b -> ref.equals(b.nodeName()))) {
                drives.add(new DriveRequest(device.location(), new DriveConfig("", qdev, iface, cdrom, null, null,
                        cdrom, CacheMode.WRITEBACK, ErrorAction.ENOSPC, ErrorAction.REPORT, null), ref));
            } else {
                throw CommandLineException.at(device.location(), "Property '" + model + ".drive' can't find value '"
                        + ref + "'");
            }
        }
    }

    private static int indexOf(List<DriveRequest> drives, String name) {
        for (int i = 0; i < drives.size(); i++) {
            if (drives.get(i).config().name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** An IDE model's place: {@code bus=ide.N} and {@code unit=}, or the first free unit. */
    private static void idePlace(QemuOpts device, Set<Place> taken) {
        int bus = device.last("bus").map(b -> b.startsWith("ide.") ? b.substring(4) : "x")
                .map(b -> b.matches("[01]") ? Integer.parseInt(b) : -1).orElse(0);
        if (bus < 0) {
            throw CommandLineException.at(device.location(), "Bus '" + device.last("bus").get() + "' not found");
        }
        int unit = device.last("unit").map(u -> u.matches("[0-9]+") ? Integer.parseInt(u) : 99).orElse(-1);
        if (unit < 0) {
            unit = taken.contains(new Place(Interface.IDE, bus, 0)) ? 1 : 0;
        }
        if (unit > 1 || !taken.add(new Place(Interface.IDE, bus, unit))) {
            throw CommandLineException.at(device.location(), "IDE unit " + unit + " is in use");
        }
    }

    /** QOM paths: IDE devices in bus order after the machine's own devices; virtio-blk as anonymous devices. */
    private static List<DriveRequest> withDevicePaths(List<DriveRequest> drives, List<Place> places,
                                                      boolean noDefaults, int serialPorts, int userAnonymous) {
        List<Place> ide = places.stream().filter(p -> p.iface() == Interface.IDE)
                .sorted((a, b) -> a.bus() != b.bus() ? a.bus() - b.bus() : a.unit() - b.unit()).toList();
        int first = FIRST_IDE_DEVICE + (noDefaults ? serialPorts : DEFAULT_DEVICES + Math.max(1, serialPorts));
        List<DriveRequest> out = new ArrayList<>();
        int virtio = userAnonymous; // -device options come first in QEMU's list of devices to create
        for (int i = 0; i < drives.size(); i++) {
            DriveRequest r = drives.get(i);
            DriveConfig c = r.config();
            String qdev = c.qdev();
            if (i < places.size()) {
                Place p = places.get(i);
                qdev = switch (p.iface()) {
                    case IDE -> "/machine/unattached/device[" + (first + ide.indexOf(p)) + "]";
                    case VIRTIO -> "/machine/peripheral-anon/device[" + virtio++ + "]/virtio-backend";
                    default -> null;
                };
            }
            out.add(new DriveRequest(r.location(), new DriveConfig(c.name(), qdev, c.iface(), c.cdrom(), c.file(),
                    c.format(), c.readOnly(), c.cache(), c.werror(), c.rerror(), c.nodeName()), null, r.snapshot()));
        }
        return out;
    }

    private static Place place(QemuOpts opts, MachineType machine, Set<Place> taken) {
        String ifName = opts.last("if").orElse(machine == MachineType.PC ? "ide" : "none");
        Interface iface = switch (ifName) {
            case "ide" -> Interface.IDE;
            case "virtio" -> Interface.VIRTIO;
            case "none" -> Interface.NONE;
            default -> throw CommandLineException.at(opts.location(), OTHER_INTERFACES.contains(ifName)
                    ? "if=" + ifName + " drives are not modelled by jqmp (it has ide, virtio and none)"
                    : "unsupported bus type '" + ifName + "'");
        };
        int units = iface == Interface.IDE ? IDE_UNITS : 0;
        long index = number(opts, "index"), bus = number(opts, "bus"), unit = number(opts, "unit");
        if (index >= 0 && (bus >= 0 || unit >= 0)) {
            throw CommandLineException.at(opts.location(), "index cannot be used with bus and unit");
        }
        if (index >= 0) {
            bus = units == 0 ? 0 : index / units;
            unit = units == 0 ? index : index % units;
        }
        if (bus < 0) {
            bus = 0;
        }
        if (unit < 0) {
            unit = 0;
            while (taken.contains(new Place(iface, (int) bus, (int) unit))) {
                if (units != 0 && ++unit >= units) {
                    unit = 0;
                    bus++;
                } else if (units == 0) {
                    unit++;
                }
            }
        }
        if (units != 0 && unit >= units) {
            throw CommandLineException.at(opts.location(), "unit " + unit + " too big (max is " + (units - 1) + ")");
        }
        if (iface == Interface.IDE && (machine != MachineType.PC || bus >= IDE_BUSES)) {
            throw CommandLineException.at(opts.location(), "machine type does not support if=ide,bus=" + bus
                    + ",unit=" + unit);
        }
        Place place = new Place(iface, (int) bus, (int) unit);
        if (!taken.add(place)) {
            throw CommandLineException.at(opts.location(), "drive with bus=" + bus + ", unit=" + unit
                    + " (index=" + (units == 0 ? unit : bus * units + unit) + ") exists");
        }
        return place;
    }

    private static long number(QemuOpts opts, String key) {
        return opts.last(key).map(v -> {
            try {
                return OptionValues.parseNumber(key, v);
            } catch (CommandLineException e) {
                throw CommandLineException.at(opts.location(), e.getMessage());
            }
        }).orElse(-1L);
    }

    private static DriveConfig config(QemuOpts opts, Place place) {
        String location = opts.location();
        boolean cdrom = switch (opts.last("media").orElse("disk")) {
            case "disk" -> false;
            case "cdrom" -> true;
            default -> throw CommandLineException.at(location, "'" + opts.last("media").get() + "' invalid media");
        };
        ErrorAction werror = action(opts, "werror", "write", true);
        ErrorAction rerror = action(opts, "rerror", "read", false);
        CacheMode cache = cache(opts);
        boolean readOnly = bool(opts, "readonly") || bool(opts, "read-only") || cdrom;
        String file = opts.last("file").filter(f -> !f.isEmpty()).orElse(null);
        String format = opts.last("format").orElse(null);
        String driver = opts.last("driver").orElse(null);
        if (driver != null && format != null) {
            throw CommandLineException.at(location, "Cannot specify both 'driver' and 'format'");
        }
        format = driver != null ? driver : format;
        boolean blkdebug = "blkdebug".equals(format);
        if (blkdebug && BlkdebugDrive.hasOptions(opts)) {
            file = BlkdebugDrive.filename(opts, file);
            format = null; // the json: name says it
        }
        for (QemuOpts.Parameter p : opts.parameters()) {
            boolean blkdebugOption = blkdebug && BlkdebugDrive.isOption(p.name());
            if (!KNOWN.contains(p.name()) && !p.name().equals("driver") && !blkdebugOption) {
                throw CommandLineException.at(location, "Block format '"
                        + formatOf(file, blkdebug ? "blkdebug" : format)
                        + "' does not support the option '" + p.name() + "'");
            }
        }
        String name = opts.id().orElse(autoName(place, cdrom));
        return new DriveConfig(name, null, place.iface(), cdrom, file, format, readOnly, cache, werror, rerror,
                opts.last("node-name").orElse(null));
    }

    private static String formatOf(String file, String format) {
        if (format != null) {
            return format;
        }
        return file != null && Files.isRegularFile(Path.of(file)) ? BlockImages.probe(Path.of(file)) : "raw";
    }

    /** {@code drive_new}: {@code ide0-hd0} on IDE (bus, media, unit), {@code virtio0}, {@code none0}. */
    private static String autoName(Place place, boolean cdrom) {
        return switch (place.iface()) {
            case IDE -> "ide" + place.bus() + (cdrom ? "-cd" : "-hd") + place.unit();
            case VIRTIO -> "virtio" + place.unit();
            default -> place.iface().name().toLowerCase(java.util.Locale.ROOT) + place.unit();
        };
    }

    private static boolean bool(QemuOpts opts, String key) {
        try {
            return opts.bool(key, false);
        } catch (CommandLineException e) {
            throw CommandLineException.at(opts.location(), e.getMessage());
        }
    }

    private static ErrorAction action(QemuOpts opts, String key, String kind, boolean write) {
        String value = opts.last(key).orElse(null);
        if (value == null) {
            return write ? ErrorAction.ENOSPC : ErrorAction.REPORT;
        }
        return switch (value) {
            case "report" -> ErrorAction.REPORT;
            case "ignore" -> ErrorAction.IGNORE;
            case "stop" -> ErrorAction.STOP;
            case "enospc" -> {
                if (!write) {
                    throw CommandLineException.at(opts.location(), "'" + value + "' invalid " + kind
                            + " error action");
                }
                yield ErrorAction.ENOSPC;
            }
            default -> throw CommandLineException.at(opts.location(), "'" + value + "' invalid " + kind
                    + " error action");
        };
    }

    private static CacheMode cache(QemuOpts opts) {
        return switch (opts.last("cache").orElse("writeback")) {
            case "writeback" -> CacheMode.WRITEBACK;
            case "none", "off" -> new CacheMode(true, true, false);
            case "writethrough" -> new CacheMode(false, false, false);
            case "directsync" -> new CacheMode(false, true, false);
            case "unsafe" -> new CacheMode(true, false, true);
            default -> throw CommandLineException.at(opts.location(), "invalid cache option");
        };
    }
}
