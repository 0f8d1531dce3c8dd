package org.jqmp.machine.block;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmp.api.BlkdebugInjectErrorOptions;
import org.jqmp.api.BlkdebugSetStateOptions;
import org.jqmp.api.BlockdevOptionsBlkdebug;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonEncoder;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.jqmp.block.BlockNode;
import org.jqmp.block.debug.BlkdebugConfig;
import org.jqmp.block.debug.BlkdebugFilter;
import org.jqmp.block.debug.DebugEvent;
import org.jqmp.block.debug.DebugIoType;
import org.jqmp.block.debug.InjectErrorRule;
import org.jqmp.block.debug.SetStateRule;

/**
 * {@code blkdebug} nodes in the machine's graph: the filter from {@code blockdev-add}'s options (config file rules
 * first, then the inline ones, as QEMU's {@code read_config} adds them) and the name QEMU 7.2 shows for it and for
 * a format node over it ({@code blkdebug_refresh_filename}, {@code bdrv_refresh_filename}).
 */
final class BlkdebugNodes {
    /** The pseudo-protocol of a blkdebug file name: {@code blkdebug:CONFIG:IMAGE}. */
    static final String PREFIX = "blkdebug:";

    private BlkdebugNodes() {
    }

    /**
     * A file name as {@code blkdebug_parse_filename} splits it: the config file up to the next colon (none when
     * empty), the image's name after it; a name without the prefix is the image itself.
     */
    record Prefix(String config, String image) {
    }

    static Prefix prefix(String filename) {
        if (!filename.startsWith(PREFIX)) {
            return new Prefix(null, filename);
        }
        String rest = filename.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw QmpException.generic("blkdebug requires both config file and image path");
        }
        String config = rest.substring(0, colon);
        return new Prefix(config.isEmpty() ? null : config, rest.substring(colon + 1));
    }

    /** The rules of a {@code config} file, read first as QEMU's {@code read_config} does (none without one). */
    static BlkdebugConfig config(String file) {
        return file == null ? new BlkdebugConfig(List.of(), List.of()) : BlkdebugConfig.read(Path.of(file));
    }

    /** The filter over {@code image}: {@code config}'s rules, then the inline ones; QEMU's texts for refusals. */
    static BlkdebugFilter filter(BlockdevOptionsBlkdebug options, BlkdebugConfig config, BlockNode image) {
        Long align = options.align();
        if (align != null && (align < 0 || align >= Integer.MAX_VALUE || Long.bitCount(align) > 1)) {
            throw QmpException.generic("Cannot meet constraints with align " + Long.toUnsignedString(align));
        }
        List<InjectErrorRule> inject = new ArrayList<>(config.injectErrors());
        List<SetStateRule> states = new ArrayList<>(config.setStates());
        for (BlkdebugInjectErrorOptions o : list(options.injectError())) {
            inject.add(rule(o));
        }
        for (BlkdebugSetStateOptions o : list(options.setState())) {
            states.add(new SetStateRule(DebugEvent.of(o.event().wireName()), o.state() == null ? 0 : o.state(),
                    o.newState()));
        }
        return new BlkdebugFilter(image, inject, states, options.config());
    }

    private static InjectErrorRule rule(BlkdebugInjectErrorOptions o) {
        InjectErrorRule rule = InjectErrorRule.on(DebugEvent.of(o.event().wireName()))
                .withState(o.state() == null ? 0 : o.state())
                .withErrno(o.errno() == null ? InjectErrorRule.EIO : (int) (long) o.errno())
                .withSector(o.sector() == null ? -1 : o.sector())
                .withOnce(Boolean.TRUE.equals(o.once()));
        if (o.iotype() != null) {
            rule = rule.withIoType(DebugIoType.of(o.iotype().wireName()));
        }
        return new InjectErrorRule(rule.event(), rule.state(), rule.ioTypes(), rule.errno(), rule.sector(),
                rule.once(), Boolean.TRUE.equals(o.immediately()));
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }

    /**
     * QEMU's name for the node: {@code blkdebug:CONFIG:IMAGE} when it has no options but a config file and an
     * image with a plain name, else {@code json:} with its options as given (QEMU keeps the typed values of
     * {@code blockdev-add}), its image's options and its driver.
     */
    static String filename(BlockdevOptionsBlkdebug o, Node image) {
        Map<String, Object> options = new LinkedHashMap<>();
        putIfGiven(options, "config", o.config());
        putIfGiven(options, "align", o.align());
        putIfGiven(options, "max-transfer", o.maxTransfer());
        putIfGiven(options, "opt-write-zero", o.optWriteZero());
        putIfGiven(options, "max-write-zero", o.maxWriteZero());
        putIfGiven(options, "opt-discard", o.optDiscard());
        putIfGiven(options, "max-discard", o.maxDiscard());
        List<BlkdebugInjectErrorOptions> inject = list(o.injectError());
        for (int i = 0; i < inject.size(); i++) {
            BlkdebugInjectErrorOptions r = inject.get(i);
            String p = "inject-error." + i + ".";
            options.put(p + "event", r.event().wireName());
            putIfGiven(options, p + "state", r.state());
            putIfGiven(options, p + "iotype", r.iotype() == null ? null : r.iotype().wireName());
            putIfGiven(options, p + "errno", r.errno());
            putIfGiven(options, p + "sector", r.sector());
            putIfGiven(options, p + "once", r.once());
            putIfGiven(options, p + "immediately", r.immediately());
        }
        List<BlkdebugSetStateOptions> states = list(o.setState());
        for (int i = 0; i < states.size(); i++) {
            BlkdebugSetStateOptions r = states.get(i);
            String p = "set-state." + i + ".";
            options.put(p + "event", r.event().wireName());
            putIfGiven(options, p + "state", r.state());
            options.put(p + "new_state", r.newState());
        }
        return filename(options, o.config(), image);
    }

    /** The blkdebug options QEMU keeps in a node's name ({@code strong_runtime_opts}); the rest are not shown. */
    private static final List<String> SHOWN = List.of("config", "align", "max-transfer", "opt-write-zero",
            "max-write-zero", "opt-discard", "max-discard", "inject-error", "set-state");

    /**
     * The name of a node opened from string options ({@code -drive driver=blkdebug,...}): QEMU keeps the strings
     * as given ({@code "inject-error.0.errno": "5"}), flattened, in the order given.
     */
    static String filename(JsonObject keyval, Node image) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : keyval.members().entrySet()) {
            if (SHOWN.contains(e.getKey())) {
                flatten(e.getKey(), e.getValue(), options);
            }
        }
        Object config = options.get("config");
        return filename(options, config instanceof String c ? c : null, image);
    }

    private static void flatten(String key, JsonValue value, Map<String, Object> into) {
        switch (value) {
            case JsonObject o -> o.members().forEach((k, v) -> flatten(key + "." + k, v, into));
            case JsonArray a -> {
                for (int i = 0; i < a.elements().size(); i++) {
                    flatten(key + "." + i, a.elements().get(i), into);
                }
            }
            case JsonString str -> into.put(key, str.value());
            default -> into.put(key, new QemuJsonFilename.Raw(JsonEncoder.encode(value, false)));
        }
    }

    private static String filename(Map<String, Object> options, String config, Node image) {
        boolean plain = options.keySet().stream().allMatch("config"::equals);
        if (plain && !image.filename().startsWith("json:")) {
            return "blkdebug:" + (config == null ? "" : config) + ":" + image.filename();
        }
        options.put("image", new QemuJsonFilename.Raw(optionsOf(image)));
        options.put("driver", "blkdebug");
        return QemuJsonFilename.of(options);
    }

    private static void putIfGiven(Map<String, Object> options, String key, Object value) {
        if (value != null) {
            options.put(key, value);
        }
    }

    /**
     * A node's options as QEMU writes them inside a parent's {@code json:} name: its own {@code json:} name's
     * object, or for a node with a plain name its driver and what names its file.
     */
    static String optionsOf(Node node) {
        String name = node.filename();
        if (name.startsWith("json:")) {
            return name.substring("json:".length());
        }
        if (node.file().isEmpty()) {
            return "{\"driver\": " + QemuJsonFilename.quote(node.driverName()) + ", \"filename\": "
                    + QemuJsonFilename.quote(name) + "}";
        }
        return "{\"driver\": " + QemuJsonFilename.quote(node.driverName()) + ", \"file\": "
                + optionsOf(node.file().get()) + "}";
    }

    /**
     * The name of a format node over {@code file}: QEMU names it {@code json:} with its driver and its file's
     * options when the file has no plain name ("driver" hashes before "file"), else as its file.
     */
    static String formatFilename(String driver, Node file) {
        return file.filename().startsWith("json:")
                ? "json:{\"driver\": " + QemuJsonFilename.quote(driver) + ", \"file\": " + optionsOf(file) + "}"
                : null;
    }

    /** A format driver's view of its file child: over a blkdebug node it fires the events QEMU's formats fire. */
    static BlockNode underFormat(Node file, BlockNode route) {
        return file.driver() instanceof BlkdebugFilter filter ? BlkdebugFilter.underFormat(filter, route) : route;
    }
}
