package org.jqmp.machine.block;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jqmp.block.BlockNode;

/**
 * One node of the machine's block graph: a driver instance of jqmp's image engine with its node name, its
 * {@code file} child (for format nodes) and its {@code backing} child. QEMU keeps {@code wr_highest_offset} per
 * node; protocol nodes count it in their {@link FileTap}, format nodes here, for the writes the drive makes.
 */
public final class Node {
    private final String name;
    private final boolean autoNamed;
    private final BlockNode driver;
    private final Node file;
    private volatile Node backing;
    private final AtomicLong wrHighestOffset = new AtomicLong();
    private volatile boolean monitorOwned;
    private volatile boolean ownsBacking = true;
    private volatile String displayName;
    private final AtomicLong writeThreshold = new AtomicLong();
    private volatile ThresholdListener thresholdListener = (node, amount, threshold) -> { };

    Node(String name, boolean autoNamed, BlockNode driver, Node file, Node backing) {
        this.name = name;
        this.autoNamed = autoNamed;
        this.driver = driver;
        this.file = file;
        this.backing = backing;
    }

    /**
     * Added with {@code blockdev-add} (or {@code -blockdev}): the node lives until {@code blockdev-del}, not
     * with a drive or a parent node, which only borrow it.
     */
    public boolean monitorOwned() {
        return monitorOwned;
    }

    void setMonitorOwned(boolean value) {
        this.monitorOwned = value;
    }

    public String name() {
        return name;
    }

    /** Named by QEMU's generator ({@code #block...}) rather than by the user. */
    public boolean autoNamed() {
        return autoNamed;
    }

    public BlockNode driver() {
        return driver;
    }

    public Optional<Node> file() {
        return Optional.ofNullable(file);
    }

    public Optional<Node> backing() {
        return Optional.ofNullable(backing);
    }

    /** QEMU's driver name: {@code file}, {@code raw}, {@code qcow2}. */
    public String driverName() {
        return driver.driverName();
    }

    /** The name QEMU shows: the file's, or a {@code json:} description for a node it cannot name by one file. */
    public String filename() {
        String shown = displayName;
        return shown != null ? shown : driver.filename();
    }

    void setDisplayName(String name) {
        this.displayName = name;
    }

    public long wrHighestOffset() {
        return driver instanceof FileTap tap ? tap.wrHighestOffset.get() : wrHighestOffset.get();
    }

    void setBacking(Node node) {
        this.backing = node;
    }

    /** Whether closing this node closes its backing chain too (false while it only borrows it). */
    boolean ownsBacking() {
        return ownsBacking;
    }

    void setOwnsBacking(boolean value) {
        this.ownsBacking = value;
    }

    void wrote(long end) {
        wrHighestOffset.accumulateAndGet(end, Math::max);
        long threshold = writeThreshold.get();
        if (threshold > 0 && end > threshold && writeThreshold.compareAndSet(threshold, 0)) {
            thresholdListener.exceeded(this, end - threshold, threshold);
        }
    }

    /** What happens when a write goes past the threshold (QEMU sends BLOCK_WRITE_THRESHOLD, once). */
    @FunctionalInterface
    interface ThresholdListener {
        void exceeded(Node node, long amountExceeded, long threshold);
    }

    /** {@code block-set-write-threshold}: 0 turns it off; it turns itself off once exceeded. */
    void setWriteThreshold(long threshold, ThresholdListener listener) {
        this.thresholdListener = listener;
        this.writeThreshold.set(threshold);
    }

    public long writeThreshold() {
        return writeThreshold.get();
    }

    /** How deep the backing chain below this node is ({@code backing_file_depth}). */
    public int backingDepth() {
        int depth = 0;
        for (Node n = backing; n != null; n = n.backing) {
            depth++;
        }
        return depth;
    }

    @Override
    public String toString() {
        return name + "(" + driverName() + ":" + filename() + ")";
    }
}
