package org.jqmp.machine.block;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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

/**
 * The named nodes of the machine: opens image chains on jqmp's engine with QEMU's node names (the protocol node
 * first, then the format node, then the backing chain, each with the next automatic name unless the user gave
 * one) and remembers every node by name, in the order they were opened ({@code query-named-block-nodes}).
 */
public final class BlockGraph {
    /** Formats QEMU 7.2 knows that jqmp's engine does not open: refused by name rather than as unknown. */
    static final Set<String> OTHER_FORMATS = Set.of("bochs", "cloop", "dmg", "luks", "parallels", "qcow", "qed",
            "vdi", "vhdx", "vmdk", "vpc", "vvfat", "blkverify", "compress", "copy-on-read", "throttle",
            "preallocate", "host_device", "host_cdrom", "nbd", "nfs", "ssh", "http", "https", "ftp", "ftps",
            "null-aio", "null-co", "nvme", "replication", "quorum", "rbd", "iscsi", "gluster");

    private final NodeNames names = new NodeNames();
    private final Map<String, Node> byName = new LinkedHashMap<>();
    private final Predicate<String> isDeviceName;

    /** @param isDeviceName whether a name is taken by a drive (node names may not clash with those) */
    public BlockGraph(Predicate<String> isDeviceName) {
        this.isDeviceName = isDeviceName;
    }

    /** Every node, in the order they were opened. */
    public synchronized List<Node> nodes() {
        return new ArrayList<>(byName.values());
    }

    public synchronized Node lookup(String name) {
        return byName.get(name);
    }

    /**
     * Opens an image: its file node, its format node (named {@code nodeName}, or automatically) and, for
     * qcow2, its backing chain (read-only). {@code openBacking} false is QEMU's {@code BDRV_O_NO_BACKING}.
     */
    public synchronized Node open(String filename, String format, boolean readOnly, String nodeName,
                                  boolean openBacking) {
        if (filename.startsWith("json:") && format == null) {
            return BlockdevAdd.openJson(this, filename, readOnly, nodeName);
        }
        if (nodeName != null) {
            checkNewName(nodeName);
        }
        if (format != null && !format.equals("raw") && !format.equals("qcow2") && !format.equals("blkdebug")) {
            throw QmpException.generic(OTHER_FORMATS.contains(format) || format.equals("file")
                    ? "Block format '" + format + "' is not supported by jqmp (it opens raw and qcow2)"
                    : "Unknown driver '" + format + "'");
        }
        List<Node> opened = new ArrayList<>();
        try {
            if (filename.startsWith(BlkdebugNodes.PREFIX) || "blkdebug".equals(format)) {
                return openBlkdebug(filename, format, readOnly, nodeName, openBacking, opened);
            }
            return openChain(Path.of(filename), filename, format, readOnly, nodeName, openBacking, null, null,
                    opened);
        } catch (BlockException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                byName.remove(opened.get(i).name());
            }
            throw QmpException.generic(e.getMessage());
        }
    }

    /**
     * Opens an overlay whose backing is the already open {@code base} ({@code bdrv_append} after opening with
     * {@code BDRV_O_NO_BACKING}): the engine reads unallocated clusters from {@code base}'s driver, through
     * {@code borrowed}, which the caller makes the overlay's own once the snapshot is committed.
     */
    synchronized Node openOverlay(String filename, String format, boolean readOnly, String nodeName,
                                         Node base, Borrowed borrowed) {
        List<Node> opened = new ArrayList<>();
        try {
            Node overlay = openChain(Path.of(filename), filename, format, readOnly, nodeName, true, base,
                    borrowed, opened);
            overlay.setOwnsBacking(false); // until the snapshot commits
            return overlay;
        } catch (BlockException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                byName.remove(opened.get(i).name());
            }
            throw QmpException.generic(e.getMessage());
        }
    }

    private Node openChain(Path path, String filename, String format, boolean readOnly, String nodeName,
                           boolean openBacking, Node base, Borrowed borrowed, List<Node> opened) {
        FileTap tap = new FileTap(FileProtocol.open(path, filename, readOnly, true, false));
        try {
            Node file = register(new Node(names.next(), true, tap, null, null), opened);
            return formatOver(path, file, tap, format, readOnly, nodeName, openBacking, base, borrowed, opened);
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    /** The format node (probed unless given) over {@code file}, which it reads through {@code below}. */
    private Node formatOver(Path path, Node file, BlockNode below, String format, boolean readOnly, String nodeName,
                            boolean openBacking, Node base, Borrowed borrowed, List<Node> opened) {
        // probed on the node itself, as QEMU's find_image_format: no format above it fires events yet
        String probed = format != null ? format : BlockImages.probe(file.driver());
        String name = nodeName != null ? nodeName : names.next();
        Node[] backing = new Node[1];
        BlockNode driver = switch (probed) {
            case "qcow2" -> Qcow2Image.open(below, readOnly, BlockLimits.DEFAULT, !openBacking ? null
                    : (backingFile, backingFormat) -> {
                        if (base != null) {
                            backing[0] = base;
                            return borrowed;
                        }
                        Path b = BlockImages.resolveBacking(path, backingFile);
                        backing[0] = openChain(b, b.toString(), backingFormat, true, null, true, null, null,
                                opened);
                        return backing[0].driver();
                    });
            default -> new RawFormat(below);
        };
        BlkdebugFilter.formatOpened(below);
        return register(new Node(name, nodeName == null, driver, file, backing[0]), opened);
    }

    /**
     * {@code -drive file=blkdebug:CONFIG:IMAGE} (a format, probed unless given, over a blkdebug node over the
     * image's file node) or {@code -drive format=blkdebug,file=IMAGE} (the blkdebug node is the drive's). QEMU
     * names the blkdebug node before it opens its image ({@code bdrv_open_common} before {@code bdrv_file_open}),
     * so it comes first in the node list: a placeholder holds its place until it exists.
     */
    private Node openBlkdebug(String filename, String format, boolean readOnly, String nodeName, boolean openBacking,
                              List<Node> opened) {
        BlkdebugNodes.Prefix prefix = BlkdebugNodes.prefix(filename);
        boolean top = "blkdebug".equals(format);
        String imageName = prefix.image();
        String name = top && nodeName != null ? nodeName : names.next();
        register(new Node(name, true, null, null, null), opened);
        BlkdebugConfig config = BlkdebugNodes.config(prefix.config()); // before the image, as QEMU
        FileTap tap = new FileTap(FileProtocol.open(Path.of(imageName), imageName, readOnly, true, false));
        try {
            Node file = register(new Node(names.next(), true, tap, null, null), opened);
            BlkdebugFilter filter = new BlkdebugFilter(tap, config.injectErrors(), config.setStates(),
                    prefix.config());
            Node debug = new Node(name, !(top && nodeName != null), filter, file, null);
            byName.put(name, debug); // keeps the placeholder's place
            opened.replaceAll(n -> n.name().equals(name) ? debug : n);
            if (top) {
                return debug;
            }
            return formatOver(Path.of(imageName), debug, BlkdebugFilter.underFormat(filter, filter), format, readOnly,
                    nodeName, openBacking, null, null, opened);
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    private Node register(Node node, List<Node> opened) {
        byName.put(node.name(), node);
        opened.add(node);
        return node;
    }

    /** QEMU's checks on a user's node name ({@code bdrv_assign_node_name}). */
    synchronized void checkNewName(String nodeName) {
        if (!isIdentifier(nodeName)) {
            throw QmpException.generic("Invalid node-name: '" + nodeName + "'");
        }
        if (isDeviceName.test(nodeName)) {
            throw QmpException.generic("node-name=" + nodeName + " is conflicting with a device id");
        }
        if (byName.containsKey(nodeName)) {
            throw QmpException.generic("Duplicate nodes with node-name='" + nodeName + "'");
        }
    }

    /** {@code id_wellformed}: a letter, then letters, digits, '-', '.' and '_'. */
    static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 127) {
            return false;
        }
        return s.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_'));
    }

    /**
     * Closes a node that nothing uses any more, with the children it owns (those opened with it); children
     * added with {@code blockdev-add} stay.
     */
    synchronized void close(Node root) {
        forget(root);
        root.driver().close();
    }

    private void forget(Node node) {
        byName.remove(node.name());
        node.file().filter(f -> !f.monitorOwned()).ifPresent(this::forget);
        node.backing().filter(b -> node.ownsBacking() && !b.monitorOwned()).ifPresent(this::forget);
    }

    /** Forgets a node dropped from a chain (and the file it owns) without closing it: its owner closes it later. */
    synchronized void retire(Node node) {
        byName.remove(node.name());
        node.file().filter(f -> !f.monitorOwned()).ifPresent(f -> byName.remove(f.name()));
    }

    /** Registers a node opened outside {@link #open} (by {@code blockdev-add}). */
    synchronized Node register(Node node) {
        byName.put(node.name(), node);
        return node;
    }

    synchronized String nextName() {
        return names.next();
    }

    /** Whether another node has {@code node} as its file or backing child. */
    synchronized boolean hasParent(Node node) {
        for (Node n : byName.values()) {
            if (n.file().orElse(null) == node || n.backing().orElse(null) == node) {
                return true;
            }
        }
        return false;
    }
}
