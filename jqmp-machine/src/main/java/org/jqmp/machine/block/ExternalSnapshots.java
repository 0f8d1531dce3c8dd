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

    ExternalSnapshots(BlockDevices devices, Consumer<String> out) {
        this.devices = devices;
        this.out = out;
    }

    void transaction(List<TransactionAction> actions, TransactionProperties properties) {
        boolean grouped = properties != null && properties.completionMode() == ActionCompletionMode.GROUPED;
        List<Prepared> prepared = new ArrayList<>();
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
        }
        prepared.forEach(Prepared::commit);
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
        Drive owner = drive != null ? drive : devices.owner(old);
        boolean readOnly = owner != null ? owner.readOnly() : old.driver().isReadOnly();
        Borrowed below = new Borrowed(old.driver());
        Node overlay = devices.graph().openOverlay(s.snapshotFile(), format, readOnly, newName, old, below);
        if (overlay.backing().isEmpty()) {
            // an existing image that names no backing file: attach the old node as QEMU's bdrv_append does
            attach(overlay, old, below);
        }
        return swap(owner, old, overlay, below, readOnly, true);
    }

    /** {@code blockdev-snapshot}: an overlay added with {@code blockdev-add} (and {@code backing: null}). */
    Prepared prepareSnapshot(String nodeName, String overlayName) {
        Drive drive = devices.drive(nodeName);
        Node old = drive != null ? drive.medium().orElse(null) : devices.graph().lookup(nodeName);
        if (old == null) {
            throw QmpException.generic("Cannot find device='" + nodeName + "' nor node-name='" + nodeName + "'");
        }
        Node overlay = devices.graph().lookup(overlayName);
        if (overlay == null) {
            throw QmpException.generic("Cannot find device='" + overlayName + "' nor node-name='" + overlayName + "'");
        }
        if (devices.isAttached(overlay) || devices.graph().hasParent(overlay)) {
            throw QmpException.generic("The overlay is already in use");
        }
        if (overlay.backing().isPresent()) {
            throw QmpException.generic("The overlay already has a backing image");
        }
        if (!(overlay.driver() instanceof Qcow2Image)) {
            throw QmpException.generic("The overlay does not support backing images");
        }
        Drive owner = drive != null ? drive : devices.owner(old);
        boolean readOnly = owner != null ? owner.readOnly() : old.driver().isReadOnly();
        return swap(owner, old, overlay, new Borrowed(old.driver()), readOnly, false);
    }

    private static void attach(Node overlay, Node old, Borrowed below) {
        ((Qcow2Image) overlay.driver()).attachBacking(below);
        overlay.setBacking(old);
        overlay.setOwnsBacking(false);
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
                    owner.setMedium(overlay, readOnly);
                }
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
            return drive.medium().orElseThrow(() -> QmpException.generic("Device '" + device + "' has no medium"));
        }
        if (nodeName != null && devices.graph().lookup(nodeName) != null) {
            return devices.graph().lookup(nodeName);
        }
        throw QmpException.generic("Cannot find device='" + (device == null ? "" : device) + "' nor node-name='"
                + (nodeName == null ? "" : nodeName) + "'");
    }
}
