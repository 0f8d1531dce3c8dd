package org.jqmp.monitor;

/** jqmp's own version, from the jar manifest when packaged. */
public final class JqmpVersion {
    public static final String VERSION = find();

    private JqmpVersion() {
    }

    private static String find() {
        String v = JqmpVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
