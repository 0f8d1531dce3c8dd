package org.jqmp.cli.run;

import java.util.Optional;

/** The machines {@code -M} can select: QEMU's names, and the QOM type names its property errors quote. */
public enum MachineType {
    /** {@code -M none}: an empty machine, no RAM unless {@code -m} asks for it. */
    NONE("none", "none-machine"),
    /** {@code -M pc} (QEMU 7.2's alias of {@code pc-i440fx-7.2}), the default machine. */
    PC("pc", "pc-i440fx-7.2-machine");

    private final String qemuName;
    private final String qomType;

    MachineType(String qemuName, String qomType) {
        this.qemuName = qemuName;
        this.qomType = qomType;
    }

    public String qemuName() {
        return qemuName;
    }

    /** E.g. {@code none-machine}, as in QEMU's {@code Property 'none-machine.bogus' not found}. */
    public String qomType() {
        return qomType;
    }

    /** The machine for a {@code type=} value; the empty string selects the default, as in QEMU. */
    static Optional<MachineType> forName(String name) {
        return switch (name) {
            case "none" -> Optional.of(NONE);
            case "", "pc", "pc-i440fx-7.2" -> Optional.of(PC);
            default -> Optional.empty();
        };
    }
}
