package org.jqmp.machine.block;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jqmp.api.BlockDeviceInfo;
import org.jqmp.api.BlockCoreEvents;
import org.jqmp.api.BlockDeviceIoStatus;
import org.jqmp.api.BlockEvents;
import org.jqmp.api.RunState;
import org.jqmp.machine.Machine;
import org.jqmp.machine.MachineListener;
import org.jqmp.machine.guest.GuestDisks;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.EventSink;
import org.jqmp.api.BlockInfo;
import org.jqmp.api.BlockStats;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.NewImageMode;
import org.jqmp.api.runtime.QmpException;

/**
 * The machine's drives and block graph, and what the block commands do to them. Every method runs under the
 * machine lock (commands hold it already), so a command sees and changes one consistent state.
 */
public final class BlockDevices implements AutoCloseable {
    private final List<Drive> drives = new CopyOnWriteArrayList<>();
    private final BlockGraph graph = new BlockGraph(name -> drive(name) != null);
    private final Consumer<String> out;
    private final Media media;
    private volatile Media.EjectRequests guest = (drive, force) -> { };
    private final IoErrors errors;
    private final BlockCoreEvents coreEvents;
    private final ExternalSnapshots snapshots;
    private final List<Path> temporaries = new CopyOnWriteArrayList<>();
    private final java.util.Set<Drive> temporaryOverlays = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final BlockExports exports;
    /**
     * Nodes opened by blockdev-add (with what they opened): their cache flags are their own (jqmp's blockdev-add
     * takes the defaults: no O_DIRECT, flushes), not the drive's they may later serve (blockdev-snapshot,
     * blockdev-insert-medium), while the drive's write cache setting stays the drive's.
     */
    private final java.util.Set<Node> ownCacheFlags = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Nodes reopened read-only outside any drive (the old top of an external snapshot), with their files. */
    private final java.util.Set<Node> reopenedReadOnly = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final BlockJobs jobs;
    private final Object resumed = new Object();

    /**
     * @param events where the block events go (the monitor's emitter)
     * @param compat the {@code -compat} policy for their data
     * @param out    where QEMU's standard-output lines go ({@code Formatting '...'} when an image is created)
     */
    public BlockDevices(EventSink events, CompatPolicy compat, Consumer<String> out) {
        this.out = Objects.requireNonNull(out);
        this.media = new Media(this, new BlockEvents(events, compat), (drive, force) -> guest.ejectRequested(drive,
                force));
        this.coreEvents = new BlockCoreEvents(events, compat);
        this.errors = new IoErrors(coreEvents);
        this.snapshots = new ExternalSnapshots(this, out);
        this.exports = new BlockExports(this, new org.jqmp.api.BlockExportEvents(events, compat));
        this.jobs = new BlockJobs(this, coreEvents, new org.jqmp.api.JobEvents(events, compat));
    }

    BlockExports exports() {
        return exports;
    }

    BlockJobs jobs() {
        return jobs;
    }

    /**
     * Puts the drives into a machine: their error policies stop it ({@code io-error}) and {@code cont} resets
     * their I/O status and lets the stopped requests run again.
     */
    public void attach(Machine machine) {
        BlockHumanCommands.addTo(machine, this::queryBlock, () -> queryBlockstats(false), () -> jobs().blockJobs(),
                commands());
        machine.addListener(new MachineListener() {
            @Override
            public void runStateChanged(RunState from, RunState to) {
                if (to == RunState.RUNNING) {
                    drives.forEach(d -> d.setIoStatus(BlockDeviceIoStatus.OK));
                    synchronized (resumed) {
                        resumed.notifyAll();
                    }
                }
            }
        });
        errors.attach(new IoErrors.VmControl() {
            @Override
            public boolean stopForIoError() {
                return machine.ioErrorStop();
            }

            @Override
            public void awaitRunning() throws InterruptedException {
                synchronized (resumed) {
                    while (machine.runState() != RunState.RUNNING && !machine.exited()) {
                        resumed.wait(1000);
                    }
                }
            }
        });
    }

    /** The guest's view of the drives: what its firmware and workloads read and write. */
    public GuestDisks guestDisks() {
        return new DrivesForGuest(this);
    }

    /**
     * The guest gives its medium up: it unlocks the tray and opens it (DEVICE_TRAY_MOVED), as a guest's CD-ROM
     * driver does when the host asked with {@code eject} and the tray was locked.
     */
    public void guestEjects(String device) {
        Drive drive = drive(device);
        if (drive != null && drive.hasTray()) {
            drive.setLocked(false);
            if (!drive.trayOpen()) {
                media.moveTray(drive, true);
            }
        }
    }

    /** Where the host's eject requests for a locked tray go (the guest's CD-ROM driver). */
    public void onEjectRequest(Media.EjectRequests value) {
        this.guest = Objects.requireNonNull(value);
    }

    Media media() {
        return media;
    }

    /** Whether a node is (in) the medium of some drive. */
    boolean isAttached(Node node) {
        return owner(node) != null;
    }

    public BlockGraph graph() {
        return graph;
    }

    public List<Drive> drives() {
        return List.copyOf(drives);
    }

    /** The drive with this BlockBackend name, or null. */
    public Drive drive(String name) {
        for (Drive d : drives) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * Creates a drive and opens its image ({@code -drive}); a CD-ROM and a {@code readonly=on} drive open it
     * read-only.
     *
     * @throws QmpException with QEMU's text when the image cannot be opened
     */
    public Drive add(DriveConfig config) {
        if (!config.name().isEmpty() && drive(config.name()) != null) {
            throw QmpException.generic("Duplicate ID '" + config.name() + "' for drive");
        }
        Node medium = config.file() == null ? null
                : graph.open(config.file(), config.format(), config.readOnly(), config.nodeName(), true);
        Drive drive = new Drive(config, medium);
        drive.setErrorPolicy(errors);
        drives.add(drive);
        return drive;
    }

    /**
     * {@code -drive ...,snapshot=on}: the image opened read-only under a temporary qcow2 overlay that takes every
     * write and is deleted when the machine ends (QEMU's {@code BDRV_O_TEMPORARY} in {@code $TMPDIR} or
     * {@code /var/tmp}, named {@code vl.XXXXXX}); QEMU names the top with a {@code json:} description.
     */
    public Drive addWithTemporarySnapshot(DriveConfig config) {
        Node base = graph.open(config.file(), config.format(), true, config.nodeName(), true);
        Path temp;
        try {
            String dir = System.getenv().getOrDefault("TMPDIR", "/var/tmp");
            temp = Files.createTempFile(Path.of(dir), "vl.", "");
            temporaries.add(temp);
            // no backing file in the header: QEMU attaches the base node to the overlay it opens
            org.jqmp.block.BlockImages.createQcow2(temp, org.jqmp.block.Qcow2Options.of(base.driver().size()));

        } catch (java.io.IOException | RuntimeException e) {
            graph.close(base);
            throw QmpException.generic("Could not create temporary overlay: " + e.getMessage());
        }
        Borrowed below = new Borrowed(base.driver());
        Node top = graph.openOverlay(temp.toString(), "qcow2", config.readOnly(), null, base, below);
        ((org.jqmp.block.qcow2.Qcow2Image) top.driver()).attachBacking(below);
        top.setBacking(base);
        below.adopt();
        top.setOwnsBacking(true);
        top.setDisplayName("json:{\"backing\": {\"driver\": \"" + base.driverName() + "\", \"file\": {\"driver\": "
                + "\"file\", \"filename\": \"" + base.filename() + "\"}}, \"driver\": \"qcow2\", \"file\": "
                + "{\"driver\": \"file\", \"filename\": \"" + temp + "\"}}");
        // a temporary overlay is never flushed (QEMU adds BDRV_O_NO_FLUSH: its content dies with the process)
        DriveConfig unflushed = new DriveConfig(config.name(), config.qdev(), config.iface(), config.cdrom(),
                config.file(), config.format(), config.readOnly(), new DriveConfig.CacheMode(config.cache().writeback(),
                config.cache().direct(), true), config.werror(), config.rerror(), config.nodeName());
        Drive drive = new Drive(unflushed, top);
        drive.setErrorPolicy(errors);
        drives.add(drive);
        temporaryOverlays.add(drive);
        return drive;
    }

    /**
     * A device model on a node added with {@code -blockdev}: an unnamed backend (its {@code device} is empty)
     * whose medium is that node; read-only when the node is.
     */
    public Drive attach(DriveConfig config, String nodeName) {
        Node node = graph.lookup(nodeName);
        if (node == null) {
            throw QmpException.generic("Cannot find device='' nor node-name='" + nodeName + "'");
        }
        Drive drive = new Drive(config, node);
        drive.setMedium(node, config.readOnly() || node.driver().isReadOnly());
        drive.setErrorPolicy(errors);
        drives.add(drive);
        return drive;
    }

    public List<BlockInfo> queryBlock() {
        return drives.stream().map(d -> BlockInfos.info(d, cacheOf(d, d.medium().orElse(null)))).toList();
    }

    /** The cache flags a drive's node shows: the drive's, or for a node blockdev-add opened the defaults. */
    private DriveConfig.CacheMode cacheOf(Drive drive, Node node) {
        DriveConfig.CacheMode cache = drive.config().cache();
        return node != null && ownCacheFlags.contains(node)
                ? new DriveConfig.CacheMode(cache.writeback(), false, false) : cache;
    }

    private void addWithOwnCacheFlags(Node node) {
        if (ownCacheFlags.add(node)) {
            node.file().ifPresent(this::addWithOwnCacheFlags);
            node.backing().ifPresent(this::addWithOwnCacheFlags);
        }
    }

    /** {@code bdrv_reopen_set_read_only}: the node and its file are shown read-only from now on. */
    void reopenReadOnly(Node node) {
        reopenedReadOnly.add(node);
        node.file().ifPresent(reopenedReadOnly::add);
    }

    /** {@code query-named-block-nodes}: every node, the newest first as QEMU lists them; {@code flat} drops the backing images. */
    public List<BlockDeviceInfo> namedNodes(boolean flat) {
        List<BlockDeviceInfo> infos = new ArrayList<>();
        for (Node node : graph.nodes()) {
            Drive owner = owner(node);
            Node top = owner == null ? null : owner.medium().orElse(null);
            boolean isTop = top == node || top != null && top.file().orElse(null) == node;
            // below the top of a drive's chain everything is read-only (QEMU reopens the old top so)
            boolean readOnly = owner == null ? node.driver().isReadOnly() || reopenedReadOnly.contains(node)
                    : isTop ? owner.readOnly() : true;
            DriveConfig.CacheMode cache = owner != null ? cacheOf(owner, node) : DriveConfig.CacheMode.WRITEBACK;
            if (!isTop && owner != null && temporaryOverlays.contains(owner)) {
                cache = new DriveConfig.CacheMode(cache.writeback(), cache.direct(), false); // the image below
            }
            infos.add(BlockInfos.deviceInfo(node, readOnly, cache));
        }
        if (flat) {
            infos.replaceAll(BlockDevices::withoutBackingImages);
        }
        java.util.Collections.reverse(infos);
        return infos;
    }

    private static BlockDeviceInfo withoutBackingImages(BlockDeviceInfo i) {
        var image = i.image();
        var flat = new org.jqmp.api.ImageInfo(image.filename(), image.format(), image.dirtyFlag(), image.actualSize(),
                image.virtualSize(), image.clusterSize(), image.encrypted(), image.compressed(),
                image.backingFilename(), image.fullBackingFilename(), image.backingFilenameFormat(), image.snapshots(),
                null, image.formatSpecific());
        // bdrv_block_device_info counts the depth while it walks the chain, which flat output does not do
        return new BlockDeviceInfo(i.file(), i.nodeName(), i.ro(), i.drv(), i.backingFile(), 0,
                i.encrypted(), i.detectZeroes(), i.bps(), i.bpsRd(), i.bpsWr(), i.iops(), i.iopsRd(), i.iopsWr(), flat,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, i.cache(),
                i.writeThreshold(), i.dirtyBitmaps());
    }

    Drive owner(Node node) {
        for (Drive d : drives) {
            for (Node n = d.medium().orElse(null); n != null; n = n.backing().orElse(null)) {
                if (n == node || n.file().orElse(null) == node) {
                    return d;
                }
            }
        }
        return null;
    }

    /** {@code query-blockstats}: per drive with a name, or with {@code query-nodes} per named node. */
    public List<BlockStats> queryBlockstats(boolean queryNodes) {
        if (queryNodes) {
            return graph.nodes().stream().map(n -> BlockInfos.nodeStats(n, false)).toList();
        }
        return drives.stream().map(BlockInfos::driveStats).toList();
    }

    /** {@code blockdev-snapshot-sync}: a one-action transaction, as in QEMU. */
    public void snapshotSync(String device, String nodeName, String snapshotFile, String snapshotNodeName,
                             String format, NewImageMode mode) {
        snapshots.alone(() -> snapshots.prepareSync(new org.jqmp.api.BlockdevSnapshotSync(device, nodeName,
                snapshotFile, snapshotNodeName, format, mode)));
    }

    /** {@code blockdev-snapshot}: the added overlay goes on top of the node. */
    public void snapshot(String node, String overlay) {
        snapshots.alone(() -> snapshots.prepareSnapshot(node, overlay));
    }

    /** {@code transaction}: all actions or none. */
    public void transaction(java.util.List<org.jqmp.api.TransactionAction> actions,
                            org.jqmp.api.TransactionProperties properties) {
        snapshots.transaction(actions, properties);
    }

    /** Finds a drive by {@code device} or by its model's {@code id} (QEMU's {@code find_device_or_node}). */
    public Drive find(String device, String id) {
        if ((device == null) == (id == null)) {
            throw QmpException.generic("Need exactly one of 'device' and 'id'");
        }
        for (Drive d : drives) {
            if (device != null ? d.name().equals(device) : id.equals(d.qdev().orElse(null))) {
                return d;
            }
        }
        throw new QmpException(ErrorClass.DeviceNotFound, "Device '" + (device != null ? device : id)
                + "' not found");
    }

    /**
     * {@code block_resize}: the node's virtual size, checked as QEMU 7.2 checks it (lookup, sign, permission of
     * a read-only medium, whole sectors).
     */
    public void resize(String device, String nodeName, long size) {
        Drive drive = device == null ? null : drive(device);
        Node node;
        if (drive != null) {
            node = drive.medium().orElseThrow(() -> QmpException.generic("Device '" + device + "' has no medium"));
        } else if (nodeName != null && graph.lookup(nodeName) != null) {
            node = graph.lookup(nodeName);
        } else {
            throw QmpException.generic("Cannot find device='" + (device == null ? "" : device) + "' nor node-name='"
                    + (nodeName == null ? "" : nodeName) + "'");
        }
        if (size < 0) {
            throw QmpException.generic("Parameter 'size' expects a >0 size");
        }
        Drive owner = drive != null ? drive : owner(node);
        if (owner != null && owner.readOnly() || node.driver().isReadOnly()) {
            String user = owner != null ? "block device '" + owner.name() + "'" : "node '" + node.name() + "'";
            throw QmpException.generic("Permission conflict on node '" + node.name() + "': permissions 'resize' are "
                    + "both required by an unnamed block device (uses node '" + node.name() + "' as 'root' child) "
                    + "and unshared by " + user + " (uses node '" + node.name() + "' as 'root' child).");
        }
        if (size % 512 != 0) {
            throw QmpException.generic("The new size must be a multiple of 512");
        }
        try {
            node.driver().resize(size);
        } catch (org.jqmp.block.BlockException e) {
            throw QmpException.generic(e.getMessage());
        }
    }

    /** {@code block-set-write-threshold}: BLOCK_WRITE_THRESHOLD once a guest write ends past it. */
    public void setWriteThreshold(String nodeName, long threshold) {
        Node node = graph.lookup(nodeName);
        if (node == null) {
            throw QmpException.generic("Device '" + nodeName + "' not found");
        }
        node.setWriteThreshold(threshold, (n, amount, limit) -> coreEvents.blockWriteThreshold(n.name(), amount,
                limit));
    }

    /** {@code blockdev-add}: a node tree on jqmp's engine (file, raw, qcow2), owned by the monitor. */
    public Node blockdevAdd(org.jqmp.api.BlockdevOptions options) {
        Node node = BlockdevAdd.add(graph, options);
        addWithOwnCacheFlags(node);
        return node;
    }

    /** {@code blockdev-del}. */
    public void blockdevDel(String nodeName) {
        BlockdevAdd.delete(graph, nodeName, this::isAttached);
        List<Node> left = graph.nodes();
        ownCacheFlags.retainAll(left);
        reopenedReadOnly.retainAll(left);
    }

    private void closeQuietly(Node node) {
        try {
            graph.close(node);
        } catch (RuntimeException e) {
            System.err.println("jqmp: closing " + node.filename() + ": " + e.getMessage());
        }
    }

    /** The block commands, for the monitor's command table. */
    public org.jqmp.api.runtime.CommandTable commands() {
        return new BlockHandlers(this).table();
    }

    /**
     * Closes every medium, then every node left (monitor-owned ones), flushing qcow2 metadata. A node that
     * cannot be flushed (its filesystem is full) is reported on stderr and the others are still closed.
     */
    @Override
    public void close() {
        exports.close();
        for (Drive d : drives) {
            d.medium().filter(n -> !n.monitorOwned()).ifPresent(this::closeQuietly);
        }
        jobs.close();
        for (Path temp : temporaries) {
            try {
                Files.deleteIfExists(temp);
            } catch (java.io.IOException e) {
                System.err.println("jqmp: could not delete " + temp + ": " + e.getMessage());
            }
        }
        // parents first: a borrowed child closes once its last parent is gone
        boolean closedOne = true;
        while (closedOne) {
            closedOne = false;
            for (Node n : graph.nodes()) {
                if (graph.lookup(n.name()) == n && !graph.hasParent(n)) {
                    closeQuietly(n);
                    closedOne = true;
                }
            }
        }
    }
}
