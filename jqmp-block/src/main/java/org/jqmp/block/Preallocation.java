package org.jqmp.block;

import java.util.Locale;

/** QEMU's {@code preallocation} creation option. */
public enum Preallocation {
    OFF, METADATA, FALLOC, FULL;

    public String qemuName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Preallocation parse(String s) {
        for (Preallocation p : values()) {
            if (p.qemuName().equals(s)) {
                return p;
            }
        }
        throw new BlockException(null, "Invalid parameter '" + s + "'");
    }
}
