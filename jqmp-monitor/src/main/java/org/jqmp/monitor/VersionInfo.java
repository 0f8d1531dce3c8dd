package org.jqmp.monitor;

import org.jqmp.json.JsonObject;

/** QAPI VersionInfo: what the greeting and {@code query-version} report. */
public record VersionInfo(int major, int minor, int micro, String packageName) {
    /** The wire shapes jqmp speaks are QEMU 7.2.0's; the package names jqmp itself. */
    public static final VersionInfo DEFAULT = new VersionInfo(7, 2, 0, "jqmp " + JqmpVersion.VERSION);

    public JsonObject toJson() {
        JsonObject qemu = JsonObject.builder().put("major", major).put("minor", minor).put("micro", micro).build();
        return JsonObject.builder().put("qemu", qemu).put("package", packageName).build();
    }
}
