package org.jqmp.machine.block;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.api.BlockdevOptions;
import org.jqmp.api.BlockdevRef;
import org.jqmp.api.BlockdevRefOrNull;
import org.jqmp.api.OnOffAuto;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockLimits;
import org.jqmp.block.BlockNode;
import org.jqmp.block.debug.BlkdebugConfig;
import org.jqmp.block.debug.BlkdebugFilter;
import org.jqmp.block.file.FileProtocol;
import org.jqmp.block.qcow2.Qcow2Image;
import org.jqmp.block.raw.RawFormat;
import org.jqmp.json.Json;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;

/**
 * {@code blockdev-add} and {@code blockdev-del} for the drivers jqmp's engine has (file, raw, qcow2, blkdebug): a node
 * tree from its options, children given inline (owned by the new node) or by node name (borrowed), with QEMU
 * 7.2's texts for what it refuses.
 */
final class BlockdevAdd {
    private final BlockGraph graph;
    private final List<Node> opened = new ArrayList<>();
    /** The string options of a {@code json:} file name, which QEMU shows as given; null for QMP's typed ones. */
    private JsonObject keyval;

    private BlockdevAdd(BlockGraph graph) {
        this.graph = graph;
    }

    static Node add(BlockGraph graph, BlockdevOptions options) {
        if (options.nodeName() == null) {
            throw QmpException.generic("'node-name' must be specified for the root node");
        }
        BlockdevAdd adding = new BlockdevAdd(graph);
        try {
            Node node = adding.build(options, false);
            node.setMonitorOwned(true);
            return node;
        } catch (RuntimeException e) {
            adding.undo();
            throw e instanceof BlockException ? QmpException.generic(e.getMessage()) : e;
        }
    }

    /**
     * A drive's node tree from QEMU's {@code json:} file name ({@code -drive file=json:{...}}, and what
     * {@code -drive driver=blkdebug,image.filename=...} becomes): string options as the command line gives them,
     * {@code node-name} and {@code read-only} from the drive; owned by the drive, not by the monitor.
     */
    static Node openJson(BlockGraph graph, String filename, boolean readOnly, String nodeName) {
        JsonObject options;
        try {
            options = Json.parse(filename.substring("json:".length())) instanceof JsonObject o ? o : null;
        } catch (RuntimeException e) {
            options = null;
        }
        if (options == null) {
            throw QmpException.generic("Could not parse the JSON options");
        }
        JsonObject.Builder b = JsonObject.builder();
        options.members().forEach(b::put);
        if (nodeName != null) {
            b.put("node-name", nodeName);
        }
        if (readOnly) {
            b.put("read-only", "on");
        }
        BlockdevAdd adding = new BlockdevAdd(graph);
        adding.keyval = options;
        try {
            return adding.build(BlockdevOptions.read(QObjectInput.keyval(b.build(), CompatPolicy.ACCEPT_ALL), null),
                    readOnly);
        } catch (RuntimeException e) {
            adding.undo();
            throw e instanceof BlockException ? QmpException.generic(e.getMessage()) : e;
        }
    }

    /** {@code blockdev-del}: only a node added by the monitor, and only when nothing uses it. */
    static void delete(BlockGraph graph, String nodeName, java.util.function.Predicate<Node> attached) {
        Node node = graph.lookup(nodeName);
        if (node == null) {
            throw QmpException.generic("Failed to find node with node-name='" + nodeName + "'");
        }
        if (!node.monitorOwned()) {
            throw QmpException.generic("Node " + nodeName + " is not owned by the monitor");
        }
        if (attached.test(node)) {
            throw QmpException.generic("Node " + nodeName + " is in use"); // a drive's medium (bdrv_has_blk)
        }
        if (graph.hasParent(node)) {
            throw QmpException.generic("Block device " + nodeName + " is in use"); // another node's child
        }
        node.setMonitorOwned(false);
        graph.close(node);
    }

    private void undo() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            Node n = opened.get(i);
            if (graph.lookup(n.name()) == n) {
                graph.close(n);
            }
        }
    }

    /** A node and its inline children, which inherit {@code read-only} unless they say otherwise (QEMU's rule). */
    private Node build(BlockdevOptions options, boolean inheritedReadOnly) {
        String name = options.nodeName();
        if (name != null) {
            graph.checkNewName(name);
        }
        boolean readOnly = options.readOnly() != null ? options.readOnly() : inheritedReadOnly;
        Node node = switch (options) {
            case BlockdevOptions.File f -> {
                boolean locking = f.branch().locking() != OnOffAuto.OFF;
                String filename = f.branch().filename();
                FileTap tap = new FileTap(FileProtocol.open(Path.of(filename), filename, readOnly, locking, false));
                yield new Node(name(name), name == null, tap, null, null);
            }
            case BlockdevOptions.Raw r -> {
                Child file = child(r.branch().file(), readOnly);
                long offset = r.branch().offset() == null ? 0 : r.branch().offset();
                long size = r.branch().size() == null ? -1 : r.branch().size();
                BlockNode below = file.forFormat();
                RawFormat raw = new RawFormat(below, offset, size);
                BlkdebugFilter.formatOpened(below);
                yield new Node(name(name), name == null, raw, file.node(), null);
            }
            case BlockdevOptions.Qcow2 q -> qcow2(q, name, readOnly);
            case BlockdevOptions.Blkdebug d -> blkdebug(d, name, readOnly);
            default -> throw QmpException.generic("Block driver '" + options.driver().wireName()
                    + "' is not supported by jqmp (it has file, raw, qcow2 and blkdebug)");
        };
        if (node.file().isPresent() && !(options instanceof BlockdevOptions.Blkdebug)) {
            String shown = BlkdebugNodes.formatFilename(node.driverName(), node.file().get());
            if (shown != null) {
                node.setDisplayName(shown); // a format over a node QEMU names by json: (blkdebug with rules)
            }
        }
        graph.register(node);
        opened.add(node);
        return node;
    }

    /**
     * QEMU names a blkdebug node before it opens its image ({@code bdrv_open_common} calls the protocol driver's
     * open), so the node list has it before its child: a placeholder holds the place until the filter exists.
     */
    private Node blkdebug(BlockdevOptions.Blkdebug d, String given, boolean readOnly) {
        Node placeholder = graph.register(new Node(name(given), given == null, null, null, null));
        try {
            BlkdebugConfig config = BlkdebugNodes.config(d.branch().config());
            Child image = child(d.branch().image(), readOnly);
            Node filter = new Node(placeholder.name(), given == null,
                    BlkdebugNodes.filter(d.branch(), config, image.driver()), image.node(), null);
            filter.setDisplayName(keyval != null && "blkdebug".equals(string(keyval.get("driver")))
                    ? BlkdebugNodes.filename(keyval, image.node()) : BlkdebugNodes.filename(d.branch(), image.node()));
            return filter;
        } catch (RuntimeException e) {
            if (graph.lookup(placeholder.name()) == placeholder) {
                graph.retire(placeholder);
            }
            throw e;
        }
    }

    private static String string(Object value) {
        return value instanceof JsonString s ? s.value() : null;
    }

    private Node qcow2(BlockdevOptions.Qcow2 q, String name, boolean readOnly) {
        Child file = child(q.branch().file(), readOnly);
        Node[] backing = new Node[1];
        BlockdevRefOrNull ref = q.branch().backing();
        Qcow2Image.BackingOpener opener = switch (ref) {
            case null -> (backingFile, backingFormat) -> {
                Path p = BlockImages.resolveBacking(Path.of(file.node().filename()), backingFile);
                backing[0] = graph.open(p.toString(), backingFormat, true, null, true);
                opened.add(backing[0]);
                return backing[0].driver();
            };
            case BlockdevRefOrNull.Null n -> null;
            case BlockdevRefOrNull.Reference r -> (backingFile, backingFormat) -> {
                backing[0] = existing(r.value());
                return new Borrowed(backing[0].driver());
            };
            case BlockdevRefOrNull.Definition d -> (backingFile, backingFormat) -> {
                backing[0] = build(d.value(), true);
                return backing[0].driver();
            };
        };
        BlockNode below = file.forFormat();
        Qcow2Image image = Qcow2Image.open(below, readOnly, BlockLimits.DEFAULT, opener);
        BlkdebugFilter.formatOpened(below);
        return new Node(name(name), name == null, image, file.node(), backing[0]);
    }

    private record Child(Node node, BlockNode driver) {
        /** What a format driver opens: over a blkdebug node, a view that fires the format's events. */
        BlockNode forFormat() {
            return BlkdebugNodes.underFormat(node, driver);
        }
    }

    private Child child(BlockdevRef ref, boolean readOnly) {
        return switch (ref) {
            case BlockdevRef.Reference r -> {
                Node node = existing(r.value());
                yield new Child(node, new Borrowed(node.driver()));
            }
            case BlockdevRef.Definition d -> {
                Node node = build(d.value(), readOnly);
                yield new Child(node, node.driver());
            }
        };
    }

    private Node existing(String reference) {
        Node node = graph.lookup(reference);
        if (node == null) {
            throw QmpException.generic("Cannot find device='" + reference + "' nor node-name='" + reference + "'");
        }
        return node;
    }

    private String name(String given) {
        return given != null ? given : graph.nextName();
    }
}
