package org.jqmp.cli.run;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code -M}/{@code -machine} (keyval, implied key {@code type}; every occurrence merges into one set, later keys
 * winning - observed on QEMU 7.2) and {@code -m}. QEMU reports machine errors without naming the option.
 */
final class MachineOptions {

    /**
     * Machine properties QEMU 7.2 has on both machines that change nothing jqmp models: accepted and reported
     * as ignored. Any other key gets QEMU's "Property ... not found".
     */
    static final Set<String> IGNORED_PROPERTIES = Set.of("accel", "usb", "dump-guest-core", "mem-merge",
            "graphics", "suppress-vmdesc", "memory-backend", "kernel-irqchip", "kvm-shadow-mem");
    /** QEMU 7.2's accelerators ({@code -machine accel=a:b:...}). */
    static final Set<String> ACCELERATORS = Set.of("kvm", "tcg", "xen", "hax", "hvf", "whpx", "nvmm", "qtest");
    /** QEMU rounds RAM up to 8 KiB ({@code QEMU_ALIGN_UP(sz, 8192)} in {@code parse_memory_options}). */
    private static final long RAM_ALIGNMENT = 8192;

    private final Map<String, String> properties = new LinkedHashMap<>();

    void add(String text, String location) {
        properties.putAll(Keyval.parse(text, "type", location));
    }

    MachineType type() {
        return MachineType.forName(properties.getOrDefault("type", "")).orElseThrow(() ->
                new CommandLineException("unsupported machine type\nUse -machine help to list supported machines"));
    }

    void checkProperties(MachineType type, List<String> ignored) {
        for (Map.Entry<String, String> property : properties.entrySet()) {
            String key = property.getKey();
            if (key.equals("type")) {
                continue;
            }
            if (!IGNORED_PROPERTIES.contains(key)) {
                throw new CommandLineException("Property '" + type.qomType() + "." + key + "' not found");
            }
            if (key.equals("accel")) {
                checkAccelerators(property.getValue());
            }
            ignored.add("-machine " + key + "=" + property.getValue() + ": has no effect in jqmp");
        }
    }

    private static void checkAccelerators(String value) {
        for (String accelerator : value.split(":", -1)) {
            if (!ACCELERATORS.contains(accelerator)) {
                throw new CommandLineException("invalid accelerator " + accelerator);
            }
        }
    }

    /**
     * {@code parse_memory_options}: a size without suffix is in MiB (QEMU appends {@code M}), rounded up to
     * 8 KiB; 0 means the machine's default. Empty when no {@code -m} or no size was given.
     */
    static OptionalLong memoryBytes(QemuOpts memory, List<String> warnings, List<String> ignored) {
        if (memory == null) {
            return OptionalLong.empty();
        }
        for (String key : List.of("slots", "maxmem")) {
            memory.last(key).ifPresent(v -> ignored.add(memory.location() + ": memory hotplug ('" + key
                    + "') is not modelled by jqmp"));
        }
        String size = memory.last("size").orElse(null);
        if (size == null) {
            return OptionalLong.empty();
        }
        String text = Character.isDigit(size.charAt(size.length() - 1)) ? size + "M" : size;
        if (OptionValues.isHexWithSuffix(text)) {
            warnings.add("warning: Using a multiplier suffix on hex numbers is deprecated: " + text);
        }
        BigInteger bytes = OptionValues.strtosz(text, 1);
        if (bytes == null || bytes.bitLength() > 62) {
            throw new CommandLineException("Parameter 'memory.size' expects size");
        }
        long aligned = Math.ceilDiv(bytes.longValueExact(), RAM_ALIGNMENT) * RAM_ALIGNMENT;
        return aligned == 0 ? OptionalLong.empty() : OptionalLong.of(aligned);
    }
}
