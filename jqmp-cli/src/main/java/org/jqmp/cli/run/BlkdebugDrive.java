package org.jqmp.cli.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * {@code -drive driver=blkdebug,image.filename=IMG,inject-error.0.event=read_aio,...}: the blkdebug options of a
 * drive, handed to the machine as QEMU's {@code json:} file name with the options nested, as strings, in the
 * order given (QEMU shows them so in the node's name). An image given only by {@code file=} or
 * {@code image.filename} is a {@code file} node, as QEMU's protocol probe makes it.
 */
final class BlkdebugDrive {
    private static final Set<String> OWN = Set.of("config", "align", "max-transfer", "opt-write-zero",
            "max-write-zero", "opt-discard", "max-discard");

    private BlkdebugDrive() {
    }

    /** Whether {@code key} is one of blkdebug's options rather than the drive's. */
    static boolean isOption(String key) {
        return OWN.contains(key) || key.startsWith("image.") || key.startsWith("inject-error.")
                || key.startsWith("set-state.");
    }

    static boolean hasOptions(QemuOpts opts) {
        return opts.parameters().stream().anyMatch(p -> isOption(p.name()));
    }

    /** The {@code json:} name of the drive's blkdebug node; {@code file} (if any) is its image. */
    static String filename(QemuOpts opts, String file) {
        StringBuilder dotted = new StringBuilder("driver=blkdebug");
        boolean image = false;
        for (QemuOpts.Parameter p : opts.parameters()) {
            if (isOption(p.name())) {
                dotted.append(',').append(p.name()).append('=').append(p.value().replace(",", ",,"));
                image |= p.name().startsWith("image.");
            }
        }
        if (!image && file != null) {
            dotted.append(",image.filename=").append(file.replace(",", ",,"));
        }
        JsonObject tree = BlockdevArgument.parse(dotted.toString(), opts.location()).options();
        if (tree.get("image") instanceof JsonObject i && !i.has("driver")) {
            Map<String, JsonValue> withDriver = new LinkedHashMap<>();
            withDriver.put("driver", new JsonString("file"));
            withDriver.putAll(i.members());
            Map<String, JsonValue> top = new LinkedHashMap<>(tree.members());
            top.put("image", new JsonObject(withDriver));
            tree = new JsonObject(top);
        }
        StringBuilder out = new StringBuilder("json:");
        write(tree, out);
        return out.toString();
    }

    /** JSON in the members' own order (jqmp's encoder writes QEMU's hash order, which would lose it). */
    private static void write(JsonValue value, StringBuilder out) {
        switch (value) {
            case JsonObject o -> {
                out.append('{');
                List<String> parts = new ArrayList<>();
                o.members().forEach((k, v) -> {
                    StringBuilder member = new StringBuilder();
                    string(k, member);
                    member.append(": ");
                    write(v, member);
                    parts.add(member.toString());
                });
                out.append(String.join(", ", parts)).append('}');
            }
            case JsonArray a -> {
                out.append('[');
                for (int i = 0; i < a.elements().size(); i++) {
                    out.append(i == 0 ? "" : ", ");
                    write(a.elements().get(i), out);
                }
                out.append(']');
            }
            case JsonString s -> string(s.value(), out);
            default -> throw new IllegalStateException("keyval options are strings: " + value);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }
}
