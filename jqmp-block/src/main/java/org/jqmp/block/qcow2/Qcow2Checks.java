package org.jqmp.block.qcow2;

import java.util.List;

/** Public entry to the qcow2 consistency check (qemu-img check). */
public final class Qcow2Checks {
    private Qcow2Checks() {
    }

    /** @param repair null, "leaks" or "all" */
    public static CheckResult check(Qcow2Image img, String repair) {
        Qcow2Check.Repair r = repair == null ? Qcow2Check.Repair.NONE
                : repair.equals("all") ? Qcow2Check.Repair.ALL : Qcow2Check.Repair.LEAKS;
        return Qcow2Check.run(img, r, List.of());
    }
}
