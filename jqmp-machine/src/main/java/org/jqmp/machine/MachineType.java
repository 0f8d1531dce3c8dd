package org.jqmp.machine;

import java.util.List;
import org.jqmp.api.MachineInfo;
import org.jqmp.api.MouseInfo;

/**
 * The machine types jqmp models, with what QEMU 7.2 reports about them (observed with
 * {@code qemu-system-x86_64 -nodefaults}: {@code query-machines}, {@code query-mice}, {@code system_wakeup}).
 */
public enum MachineType {
    /** {@code -M none}: no devices at all, so no mouse and no ACPI (it cannot suspend). */
    NONE(new MachineInfo("none", null, null, 1, false, false, false, null, "ram"), List.of(), false),
    /**
     * {@code -M pc} ({@code pc-i440fx-7.2}): its PS/2 controller brings a mouse, which QEMU 7.2 lists as input
     * handler number 2; its ACPI lets a guest suspend to RAM and be woken.
     */
    PC(new MachineInfo("pc-i440fx-7.2", "pc", true, 255, true, false, false, "qemu64-x86_64-cpu", "pc.ram"),
            List.of(new MouseInfo("QEMU PS/2 Mouse", 2, true, false)), true);

    private final MachineInfo info;
    private final List<MouseInfo> mice;
    private final boolean wakeupSupported;

    MachineType(MachineInfo info, List<MouseInfo> mice, boolean wakeupSupported) {
        this.info = info;
        this.mice = mice;
        this.wakeupSupported = wakeupSupported;
    }

    /** Its entry in {@code query-machines}. */
    public MachineInfo info() {
        return info;
    }

    /** {@code query-mice} on a fresh machine of this type. */
    public List<MouseInfo> mice() {
        return mice;
    }

    /** QEMU's {@code qemu_wakeup_suspend_enabled()}: the machine has firmware support to suspend to RAM. */
    public boolean wakeupSupported() {
        return wakeupSupported;
    }

    /** Every type, in the order QEMU 7.2 lists them ({@code none} before {@code pc-i440fx-7.2}). */
    public static List<MachineInfo> all() {
        return List.of(NONE.info, PC.info);
    }
}
