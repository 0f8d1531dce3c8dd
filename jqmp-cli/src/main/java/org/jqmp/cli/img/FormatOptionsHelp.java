package org.jqmp.cli.img;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code -o help} (or {@code -o ?}): the creation options jqmp understands for a format. */
final class FormatOptionsHelp {
    private FormatOptionsHelp() {
    }

    static boolean asked(String options) {
        for (String part : options.split(",")) {
            if (part.equals("help") || part.equals("?")) {
                return true;
            }
        }
        return false;
    }

    static int print(String format, PrintStream out, PrintStream err) {
        Map<String, String> options = switch (format) {
            case "qcow2" -> qcow2();
            case "raw" -> raw();
            default -> null;
        };
        if (options == null) {
            throw new ImgError("Unknown file format '" + format + "'", false);
        }
        out.println("Supported " + format + " options:");
        options.forEach((name, text) -> out.printf("  %-22s - %s%n", name, text));
        out.println();
        out.println("The protocol level may support further options.");
        out.println("Specify the target filename to include those options.");
        return 0;
    }

    private static Map<String, String> qcow2() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backing_file=<str>", "name of the image this one is an overlay of");
        m.put("backing_fmt=<str>", "format of the backing image");
        m.put("cluster_size=<size>", "allocation unit, a power of two from 512 to 2M");
        m.put("compat=<str>", "qcow2 version: 0.10 (v2) or 1.1 (v3)");
        m.put("compression_type=<str>", "zlib (the only one jqmp writes)");
        m.put("extended_l2=<bool (on/off)>", "subclusters (off only in jqmp)");
        m.put("lazy_refcounts=<bool (on/off)>", "postpone refcount updates (v3)");
        m.put("preallocation=<str>", "off, metadata, falloc or full");
        m.put("refcount_bits=<num>", "width of a refcount entry, a power of two up to 64");
        m.put("size=<size>", "virtual disk size");
        return m;
    }

    private static Map<String, String> raw() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("preallocation=<str>", "off, falloc or full");
        m.put("size=<size>", "virtual disk size");
        return m;
    }
}
