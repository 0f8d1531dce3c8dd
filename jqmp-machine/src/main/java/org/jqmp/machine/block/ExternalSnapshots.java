package org.jqmp.machine.block;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jqmp.api.ActionCompletionMode;
import org.jqmp.api.BlockdevSnapshotSync;
import org.jqmp.api.NewImageMode;
import org.jqmp.api.TransactionAction;
import org.jqmp.api.TransactionProperties;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.block.debug.BlkdebugFilter;
import org.jqmp.block.qcow2.Qcow2Image;

/**
 * External snapshots ({@code blockdev-snapshot-sync}, {@code blockdev-snapshot}) and {@code transaction}, as
 * QEMU 7.2's {@code blockdev.c} runs them: every action is prepared first (checks, new image, overlay opened),
 * and only when all are prepared are they committed (the overlays become the media); if one fails, the
 * prepared ones are undone and nothing changes (an image file already created stays on disk, as in QEMU).
 */
final class ExternalSnapshots {
    /** A prepared action: either committed or aborted, once. */
    interface Prepared {
        void commit();

        void abort();
    }

    private final BlockDevices devices;
    private final Consumer<String> out;
    /**
     * The appends prepared so far in this transaction ({old, overlay}): QEMU appends in the prepare phase, so
     * later actions see the overlay in the old node's place (a device names it, it is in use, the old is busy).
     */
    private final List<Node[]> pending = new ArrayList<>();

    ExternalSnapshots(BlockDevices devices, Consumer<String> out) {
        this.devices = devices;
        this.out = out;
    }

    void transaction(List<TransactionAction> actions, TransactionProperties properties) {
        boolean grouped = properties != null && properties.completionMode() == ActionCompletionMode.GROUPED;
        List<Prepared> prepared = new ArrayList<>();
        pending.clear();
        try {
            for (TransactionAction action : actions) {
                if (grouped && !(action instanceof TransactionAction.Abort)) {
                    throw QmpException.generic("Action '" + action.type().wireName()
                            + "' does not support Transaction property completion-mode = grouped");
                }
                prepared.add(prepare(action));
            }
        } catch (RuntimeException e) {
            for (int i = prepared.size() - 1; i >= 0; i--) {
                prepared.get(i).abort();
            }
            throw e;
        } finally {
            pending.clear();
        }
        prepared.forEach(Prepared::commit);
    }

    /** One action outside a transaction: prepared and committed at once. */
    void alone(java.util.function.Supplier<Prepared> action) {
        pending.clear();
        try {
            action.get().commit();
        } finally {
            pending.clear();
        }
    }

    private Prepared prepare(TransactionAction action) {
        return switch (action) {
            case TransactionAction.BlockdevSnapshotSync s -> prepareSync(s.branch().data());
            case TransactionAction.BlockdevSnapshot s -> prepareSnapshot(s.branch().data().node(),
                    s.branch().data().overlay());
            case TransactionAction.Abort a -> throw QmpException.generic("Transaction aborted using Abort action");
            default -> throw QmpException.generic("Action '" + action.type().wireName()
                    + "' is not supported by jqmp (it has blockdev-snapshot-sync, blockdev-snapshot and abort)");
        };
    }

    /** {@code external_snapshot_prepare} for {@code blockdev-snapshot-sync}, checks in QEMU's order. */
    Prepared prepareSync(BlockdevSnapshotSync s) {
        Drive drive = s.device() == null ? null : devices.drive(s.device());
        Node old = lookup(s.device(), s.nodeName(), drive);
        checkNotBusy(old);
        if (s.nodeName() != null && s.snapshotNodeName() == null) {
            throw QmpException.generic("New overlay node-name missing");
        }
        String newName = s.snapshotNodeName();
        if (newName != null && (devices.drive(newName) != null || devices.graph().lookup(newName) != null)) {
            throw QmpException.generic("New overlay node-name already in use");
        }
        String format = s.format() == null ? "qcow2" : s.format();
        if (s.mode() != NewImageMode.EXISTING) {
            Overlays.create(s.snapshotFile(), format, old, out);
        }
        if (newName != null) {
            devices.graph().checkNewName(newName);
        }
        if (!Files.exists(Path.of(s.snapshotFile()))) {
            throw QmpException.generic("Could not open '" + s.snapshotFile() + "': No such file or directory");
        }
        if (format.equals("raw")) {
            // QEMU opens it (without taking locks yet) and then finds it cannot take a backing node
            throw QmpException.generic("The overlay does not support backing images");
        }
        Drive owner = drive != null ? drive : ownerOf(old);
        boolean readOnly = owner != null ? owner.readOnly() : old.driver().isReadOnly();
        Borrowed below = new Borrowed(old.driver());
        Node overlay = devices.graph().openOverlay(s.snapshotFile(), format, readOnly, newName, old, below);
        if (overlay.backing().isEmpty()) {
            // an existing image that names no backing file: attach the old node as QEMU's bdrv_append does
            attach(overlay, old, below);
        }
        pending.add(new Node[] {old, overlay});
        return swap(owner, old, overlay, below, readOnly, true);
    }

    /**
     * {@code blockdev-snapshot}: an overlay added with {@code blockdev-add} (and {@code backing: null}), checked
     * as {@code external_snapshot_action} does: the node (a device's medium or a node), whether an operation
     * blocker holds it, the overlay by the same lookup, whether a reader depends on it, its driver, and last
     * what {@code bdrv_append} refuses (a read-only overlay under a writer, a cycle).
     */
    Prepared prepareSnapshot(String nodeName, String overlayName) {
        Node old = lookupBoth(nodeName);
        checkNotBusy(old);
        Node overlay = lookupBoth(overlayName);
        if (inUse(overlay)) {
            throw QmpException.generic("The overlay is already in use");
        }
        if (overlay.driver() instanceof BlkdebugFilter) {
            throw QmpException.generic("Filters cannot be used as overlays");
        }
        if (overlay.backing().isPresent()) {
            throw QmpException.generic("The overlay already has a backing image");
        }
        if (!(overlay.driver() instanceof Qcow2Image)) {
            throw QmpException.generic("The overlay does not support backing images");
        }
        Drive owner = ownerOf(old);
        boolean top = owner != null && latest(owner.medium().orElse(null)) == old;
        if (top && !owner.readOnly() && overlay.driver().isReadOnly()) {
            throw QmpException.generic("Block node is read-only");
        }
        if (reaches(old, overlay)) {
            throw QmpException.generic("Making '" + old.name() + "' a backing child of '" + overlay.name()
                    + "' would create a cycle");
        }
        boolean readOnly = top ? owner.readOnly() : overlay.driver().isReadOnly();
        pending.add(new Node[] {old, overlay});
        return swap(top ? owner : null, old, overlay, new Borrowed(old.driver()), readOnly, false);
    }

    /** The drive whose chain holds the node, counting the overlays this transaction put on top of media. */
    private Drive ownerOf(Node node) {
        for (Drive d : devices.drives()) {
            if (d.medium().isPresent() && latest(d.medium().get()) == node) {
                return d;
            }
        }
        return devices.owner(node);
    }

    /** A drive's medium as this transaction left it: an overlay appended on it takes its place. */
    private Node latest(Node medium) {
        Node node = medium;
        if (node == null) {
            return null;
        }
        for (Node[] p : pending) {
            if (p[0] == node) {
                node = p[1];
            }
        }
        return node;
    }

    /** {@code bdrv_lookup_bs} with the same name as device and as node name. */
    private Node lookupBoth(String name) {
        Drive drive = devices.drive(name);
        if (drive != null) {
            return latest(drive.medium()
                    .orElseThrow(() -> QmpException.generic("Device '" + name + "' has no medium")));
        }
        Node node = devices.graph().lookup(name);
        if (node == null) {
            throw QmpException.generic("Cannot find device='" + name + "' nor node-name='" + name + "'");
        }
        return node;
    }

    /**
     * {@code bdrv_op_is_blocked(EXTERNAL_SNAPSHOT)}: a backing child is blocked by its parent (the blocker names
     * the parent as it was named when it took the child: by its node name, as no device had it yet).
     */
    private void checkNotBusy(Node old) {
        for (Node[] p : pending) {
            if (p[0] == old) {
                throw busy(old, p[1]);
            }
        }
        for (Node parent : devices.graph().nodes()) {
            if (parent.backing().orElse(null) == old) {
                throw busy(old, parent);
            }
        }
    }

    private QmpException busy(Node old, Node parent) {
        return QmpException.generic("Node '" + deviceOrNodeName(old) + "' is busy: node is used as backing hd of '"
                + parent.name() + "'");
    }

    /** {@code bdrv_get_device_or_node_name}: the drive whose root the node is, else the node's name. */
    private String deviceOrNodeName(Node node) {
        for (Drive d : devices.drives()) {
            if (d.medium().orElse(null) == node && d.name() != null && !d.name().isEmpty()) {
                return d.name();
            }
        }
        return node.name();
    }

    /**
     * Whether a parent reads the node consistently ({@code BLK_PERM_CONSISTENT_READ}): a drive's chain, the file
     * of a qcow2 node (its metadata), or the child of a raw node or the backing of a node that is itself so read.
     */
    private boolean inUse(Node node) {
        return inUse(node, new java.util.HashSet<>());
    }

    private boolean inUse(Node node, java.util.Set<Node> seen) {
        if (!seen.add(node)) {
            return false;
        }
        if (devices.isAttached(node)) {
            return true;
        }
        for (Node[] p : pending) {
            if (p[1] == node && inUse(p[0], seen)) {
                return true; // bdrv_append gave it the old node's parents
            }
        }
        for (Node parent : devices.graph().nodes()) {
            if (parent == node) {
                continue;
            }
            boolean metadata = parent.driver() instanceof Qcow2Image;
            if (parent.file().orElse(null) == node && (metadata || inUse(parent, seen))) {
                return true;
            }
            if (parent.backing().orElse(null) == node && inUse(parent, seen)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code target} is {@code from} or below it ({@code bdrv_recurse_has_child}). */
    private static boolean reaches(Node from, Node target) {
        if (from == target) {
            return true;
        }
        return from.file().map(f -> reaches(f, target)).orElse(false)
                || from.backing().map(b -> reaches(b, target)).orElse(false);
    }

    private static void attach(Node overlay, Node old, Borrowed below) {
        ((Qcow2Image) overlay.driver()).attachBacking(below);
        overlay.setBacking(old);
        overlay.setOwnsBacking(false);
    }

    /**
     * The overlay's name once a backing node is attached to it ({@code bdrv_refresh_filename}): its file's name,
     * unless the backing node differs from the name in its header, as written ({@code bdrv_backing_overridden}
     * compares the header's text with the node's name: a relative name differs too); then a {@code json:}
     * description with the file and the backing node.
     */
    static String attachedName(Node overlay) {
        Node backing = overlay.backing().orElse(null);
        Node file = overlay.file().orElse(null);
        String header = overlay.driver() instanceof Qcow2Image q ? q.backingFilename() : null;
        if (backing == null || file == null || backing.filename().equals(header)) {
            return null;
        }
        java.util.Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("driver", overlay.driverName());
        options.put("file", new QemuJsonFilename.Raw(BlkdebugNodes.optionsOf(file)));
        options.put("backing", new QemuJsonFilename.Raw(BlkdebugNodes.optionsOf(backing)));
        return QemuJsonFilename.of(options);
    }

    /** Nodes already named by {@code json:} with their backing node spell the overlay's new name in theirs. */
    private void refreshAbove(Node changed) {
        for (Node n : devices.graph().nodes()) {
            if (n.backing().orElse(null) == changed && n.filename().startsWith("json:{\"backing\"")) {
                n.setDisplayName(attachedName(n));
                refreshAbove(n);
            }
        }
    }

    /** Commit: the overlay becomes the drive's medium and owns the old chain (unless the monitor owns it). */
    private Prepared swap(Drive owner, Node old, Node overlay, Borrowed below, boolean readOnly, boolean opened) {
        return new Prepared() {
            @Override
            public void commit() {
                if (!opened) {
                    attach(overlay, old, below);
                }
                if (!old.monitorOwned()) {
                    below.adopt();
                    overlay.setOwnsBacking(true);
                }
                if (owner != null && owner.medium().orElse(null) == old) {
                    // drained: a guest write still in flight to the old top must be there before the overlay's
                    // first copy-on-write reads that cluster from it
                    owner.drained(() -> owner.setMedium(overlay, readOnly));
                } else {
                    devices.reopenReadOnly(old); // external_snapshot_commit: the old node is only read from now
                }
                overlay.setDisplayName(attachedName(overlay));
                refreshAbove(overlay);
            }

            @Override
            public void abort() {
                if (opened) {
                    devices.graph().close(overlay);
                }
            }
        };
    }

    /** {@code bdrv_lookup_bs}: the drive's medium by device name, else the node by node name. */
    private Node lookup(String device, String nodeName, Drive drive) {
        if (drive != null) {
            return latest(drive.medium()
                    .orElseThrow(() -> QmpException.generic("Device '" + device + "' has no medium")));
        }
        if (nodeName != null && devices.graph().lookup(nodeName) != null) {
            return devices.graph().lookup(nodeName);
        }
        throw QmpException.generic("Cannot find device='" + (device == null ? "" : device) + "' nor node-name='"
                + (nodeName == null ? "" : nodeName) + "'");
    }
}
