package org.jqmp.machine.block;

import org.jqmp.api.JobType;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.block.BlockException;
import org.jqmp.block.Extent;
import org.jqmp.block.qcow2.Qcow2Edits;
import org.jqmp.block.qcow2.Qcow2Image;

/**
 * {@code block-commit}, as QEMU 7.2 runs it. The base is reopened read-write for the job (jqmp opens backing
 * layers read-only, as QEMU does) and read-only again after.
 * <ul>
 * <li>Intermediate commit (top below the active layer): what the layers from top down to the base hold is copied
 * into the base; at finalize the layer above top backs onto the base (its header names the base, or
 * {@code backing-file}) and the committed layers leave the graph.</li>
 * <li>Active commit (top is the drive's image): a mirror-like job. It copies what the layers above the base hold,
 * goes ready, and waits. {@code block-job-complete} copies what the active layer holds again (the guest may have
 * written since) and pivots the drive onto the base; {@code block-job-cancel} ends it without a pivot, and QEMU
 * then sends BLOCK_JOB_COMPLETED, not CANCELLED.</li>
 * </ul>
 */
final class CommitJob extends BlockJobs.Job {
    /** QEMU's mirror granularity: the target's cluster size, between 4 KiB and 64 KiB. */
    private static final int MAX_GRANULARITY = 64 * 1024;

    /** The arguments of {@code block-commit}. */
    record Arguments(String jobId, String device, String baseNode, String base, String topNode, String top,
                     String backingFile, Long speed, Boolean autoFinalize, Boolean autoDismiss) {
    }

    private final BlockJobs jobs;
    private final Node top;
    private final Node base;
    /** The layer above top (intermediate commit), or null (active commit). */
    private final Node overlay;
    private final Drive drive;
    private final String backingFile;
    private final boolean overlayWasReadOnly;
    private final boolean baseWasReadOnly;

    private CommitJob(BlockJobs jobs, String id, Node root, Node top, Node base, Node overlay, Drive drive,
                      Arguments a) {
        super(id, JobType.COMMIT, root, a.autoFinalize() == null || a.autoFinalize(),
                a.autoDismiss() == null || a.autoDismiss(), a.speed() == null ? 0 : a.speed());
        this.jobs = jobs;
        this.top = top;
        this.base = base;
        this.overlay = overlay;
        this.drive = drive;
        this.backingFile = a.backingFile();
        this.overlayWasReadOnly = overlay != null && overlay.driver().isReadOnly();
        this.baseWasReadOnly = base.driver().isReadOnly();
    }

    @Override
    boolean mirrorLike() {
        return overlay == null;
    }

    /** {@code qmp_block_commit}'s checks in QEMU 7.2's order, then the job. */
    record Starter(BlockJobs jobs) {
        void start(Arguments a) {
            BlockDevices devices = jobs.devices();
            Drive drive = devices.drive(a.device());
            Node bs = root(devices, drive, a.device());
            BlockJobs.Job busy = jobs.jobOn(bs);
            if (busy != null) {
                throw QmpException.generic(busy.mirrorLike() ? "Need a root block node" : "Node '" + a.device()
                        + "' is busy: block device is in use by block job: " + busy.type.wireName());
            }
            Node top = top(devices, bs, a);
            Node base = base(devices, top, a);
            if (top == base) {
                throw QmpException.generic("cannot commit an image into itself");
            }
            if (top == bs && a.backingFile() != null) {
                throw QmpException.generic("'backing-file' specified, but 'top' is the active layer");
            }
            String id = a.jobId() != null ? a.jobId() : drive != null ? drive.name() : bs.name();
            jobs.checkNewId(id);
            Node overlay = null;
            for (Node n = bs; top != bs && overlay == null; n = n.backing().orElseThrow()) {
                overlay = n.backing().orElse(null) == top ? n : null;
            }
            if (overlay != null && !(overlay.driver() instanceof Qcow2Image)) {
                throw QmpException.generic("Committing below a '" + overlay.driverName()
                        + "' node is not supported by jqmp");
            }
            CommitJob job = new CommitJob(jobs, id, bs, top, base, overlay, drive != null ? drive
                    : devices.owner(bs), a);
            job.setUp();
            jobs.start(job);
        }

        /** {@code qmp_get_root_bs}, and QEMU's DeviceNotFound when that fails and no node has the name. */
        private static Node root(BlockDevices devices, Drive drive, String device) {
            if (drive != null && drive.medium().isPresent()) {
                return drive.medium().get();
            }
            Node node = drive != null ? null : devices.graph().lookup(device);
            if (node == null) {
                throw new QmpException(ErrorClass.DeviceNotFound, "Device '" + device + "' not found");
            }
            if (devices.graph().hasParent(node)) {
                throw QmpException.generic("Need a root block node");
            }
            return node;
        }

        private static Node top(BlockDevices devices, Node bs, Arguments a) {
            if (a.topNode() != null && a.top() != null) {
                throw QmpException.generic("'top-node' and 'top' are mutually exclusive");
            }
            if (a.topNode() != null) {
                Node n = lookupNode(devices, a.topNode());
                if (!contains(bs, n)) {
                    throw QmpException.generic("'" + a.topNode() + "' is not in this backing file chain");
                }
                return n;
            }
            if (a.top() != null && !bs.filename().equals(a.top())) {
                Node n = findBackingImage(bs, a.top());
                if (n == null) {
                    throw QmpException.generic("Top image file " + a.top() + " not found");
                }
                return n;
            }
            return bs;
        }

        private static Node base(BlockDevices devices, Node top, Arguments a) {
            if (a.baseNode() != null && a.base() != null) {
                throw QmpException.generic("'base-node' and 'base' are mutually exclusive");
            }
            if (a.baseNode() != null) {
                Node n = lookupNode(devices, a.baseNode());
                if (!contains(top, n)) {
                    throw QmpException.generic("'" + a.baseNode() + "' is not in this backing file chain");
                }
                return n;
            }
            if (a.base() != null) {
                Node n = findBackingImage(top, a.base());
                if (n == null) {
                    throw QmpException.generic("Can't find '" + a.base() + "' in the backing chain");
                }
                return n;
            }
            Node n = top;
            while (n.backing().isPresent()) {
                n = n.backing().get();
            }
            return n;
        }

        /** {@code bdrv_lookup_bs(NULL, name)}: node names only. */
        private static Node lookupNode(BlockDevices devices, String name) {
            Node n = devices.graph().lookup(name);
            if (n == null) {
                throw QmpException.generic("Cannot find device='' nor node-name='" + name + "'");
            }
            return n;
        }

        private static boolean contains(Node chain, Node n) {
            for (Node i = chain; i != null; i = i.backing().orElse(null)) {
                if (i == n) {
                    return true;
                }
            }
            return false;
        }

        /** {@code bdrv_find_backing_image}: a layer below {@code from} by its file name or its header's name. */
        private static Node findBackingImage(Node from, String name) {
            for (Node n = from; n.backing().isPresent(); n = n.backing().get()) {
                Node below = n.backing().get();
                boolean named = n.driver() instanceof Qcow2Image q && name.equals(q.backingFilename());
                if (named || below.filename().equals(name)) {
                    return below;
                }
            }
            return null;
        }
    }

    /** Makes the base (and a read-only layer above top) writable, as QEMU reopens them for the job. */
    private void setUp() {
        try {
            if (baseWasReadOnly) {
                reopen(base, false);
            }
            if (overlayWasReadOnly) {
                reopen(overlay, false);
            }
        } catch (BlockException e) {
            abort();
            throw QmpException.generic(e.getMessage());
        }
    }

    /** {@code bdrv_reopen} of a node (its file node first when it becomes writable, last when read-only). */
    static void reopen(Node node, boolean readOnly) {
        FileTap tap = node.file().map(Node::driver).orElse(node.driver()) instanceof FileTap t ? t : null;
        if (tap == null) {
            throw new BlockException(node.filename(), "jqmp cannot reopen '" + node.filename() + "' read-write");
        }
        if (readOnly && node.driver() instanceof Qcow2Image q) {
            q.reopen(true);
        }
        tap.reopen(readOnly);
        if (!readOnly && node.driver() instanceof Qcow2Image q) {
            q.reopen(false);
        }
    }

    private int granularity() {
        int cluster = base.driver() instanceof Qcow2Image q ? q.clusterSize() : MAX_GRANULARITY;
        return Math.max(4096, Math.min(MAX_GRANULARITY, cluster));
    }

    @Override
    void run() {
        try {
            if (overlay != null) {
                runIntermediate();
            } else {
                runActive();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jobs.completed(this, "Operation canceled");
        }
    }

    private void runIntermediate() throws InterruptedException {
        len = top.driver().size();
        if (base.driver().size() < len) {
            base.driver().resize(len); // QEMU grows the base to the top's size first
        }
        int chunk = granularity();
        byte[] buffer = new byte[chunk];
        for (long at = 0; at < len && !cancelled; at += chunk) {
            jobs.checkpoint(this);
            int n = (int) Math.min(chunk, len - at);
            if (BlockJobs.layersHold(top, base, at, n)) {
                BlockJobs.copy(top.driver(), base.driver(), at, n, buffer);
            }
            offset = at + n;
        }
        base.driver().flush();
        jobs.completed(this, null);
    }

    /** Copies what the layers above the base hold, goes ready, then waits for complete or cancel. */
    private void runActive() throws InterruptedException {
        long size = top.driver().size();
        int chunk = granularity();
        long dirty = 0;
        for (long at = 0; at < size; at += chunk) {
            int n = (int) Math.min(chunk, size - at);
            dirty += BlockJobs.layersHold(top, base, at, n) ? n : 0;
        }
        len = dirty;
        byte[] buffer = new byte[chunk];
        for (long at = 0; at < size && !cancelled; at += chunk) {
            jobs.checkpoint(this);
            int n = (int) Math.min(chunk, size - at);
            if (BlockJobs.layersHold(top, base, at, n)) {
                BlockJobs.copy(top.driver(), base.driver(), at, n, buffer);
                offset += n;
            }
        }
        if (!cancelled) {
            jobs.awaitCompletion(this);
        }
        jobs.completed(this, null); // the last copy is part of the pivot, in a drained section
    }

    private void copyActiveLayerAgain() {
        copyActiveLayerAgain(top.driver().size(), granularity(), new byte[granularity()]);
    }

    /**
     * What the guest wrote while the job was ready is in the active layer only: the layer's allocated clusters
     * are copied once more before the pivot (QEMU tracks them in a dirty bitmap; jqmp copies every cluster the
     * active layer holds, which covers them).
     */
    private void copyActiveLayerAgain(long size, int chunk, byte[] buffer) {
        for (long at = 0; at < size; at += chunk) {
            int n = (int) Math.min(chunk, size - at);
            if (top.driver().status(at, n).state() != Extent.State.UNALLOCATED) {
                BlockJobs.copy(top.driver(), base.driver(), at, n, buffer);
            }
        }
        base.driver().flush();
    }

    @Override
    void prepare() {
        if (overlay != null) {
            dropCommittedLayers();
        } else if (completing) {
            pivot();
        } else {
            abort(); // a ready job cancelled: no pivot, the base goes back to read-only
        }
    }

    /** The layer above top backs onto the base (header, then engine); top and the layers below it retire. */
    private void dropCommittedLayers() {
        Qcow2Image over = (Qcow2Image) overlay.driver();
        over.flush();
        Qcow2Edits.changeBacking(over, backingFile != null ? backingFile : base.filename(), base.driverName());
        over.replaceBacking(new Borrowed(base.driver()));
        retire();
        overlay.setBacking(base);
        overlay.setOwnsBacking(false); // the retired layers still hold the base open; they close at the end
        restoreModes();
    }

    /** {@code block-job-complete}: the drive's image is now the base. */
    private void pivot() {
        if (drive != null && drive.medium().orElse(null) == root) {
            // no guest write may land on the active layer between the last copy and the switch: it would be lost
            drive.drained(() -> {
                copyActiveLayerAgain();
                drive.setMedium(base, drive.readOnly());
            });
            if (drive.readOnly()) {
                reopen(base, true);
            }
        } else {
            copyActiveLayerAgain();
        }
        retire();
    }

    private void retire() {
        for (Node n = top; n != null && n != base; n = n.backing().orElse(null)) {
            if (!n.monitorOwned()) { // a blockdev-add node stays a named node until blockdev-del, as in QEMU
                jobs.devices().graph().retire(n);
            }
        }
        jobs.retireLater(top);
    }

    @Override
    void abort() {
        restoreModes();
    }

    private void restoreModes() {
        try {
            if (baseWasReadOnly && !base.driver().isReadOnly()) {
                reopen(base, true);
            }
            if (overlayWasReadOnly && !overlay.driver().isReadOnly()) {
                reopen(overlay, true);
            }
        } catch (BlockException e) {
            System.err.println("jqmp: reopening " + base.filename() + " read-only: " + e.getMessage());
        }
    }

}
