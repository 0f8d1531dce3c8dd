package org.jqmp.machine.block;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jqmp.api.BlockDeviceIoStatus;
import org.jqmp.block.BlockException;
import org.jqmp.machine.block.IoAccounting.Kind;

/**
 * A drive: QEMU's BlockBackend (the name, the medium's root node, the I/O statistics) together with what its
 * device model adds (removable media behind a tray the guest may lock, the I/O status). Guest requests go through
 * {@link #read}, {@link #write}, {@link #flush} and {@link #discard}, which count every request the way QEMU does.
 *
 * <p>Tray and medium changes are made by {@link BlockDevices} under the machine lock; the I/O paths read the
 * medium once per request, so a request sees either the old or the new medium.
 */
public final class Drive {
    private final DriveConfig config;
    private final IoAccounting stats = new IoAccounting(true, true);
    private volatile ErrorPolicy errors = (drive, node, kind, error) -> Outcome.REPORT;
    private volatile Node medium;
    private volatile boolean mediumReadOnly;
    private volatile boolean trayOpen;
    private volatile boolean locked;
    private volatile BlockDeviceIoStatus ioStatus = BlockDeviceIoStatus.OK;
    /** Guest requests hold it shared while in flight; {@link #drained} holds it alone. */
    private final ReentrantReadWriteLock drain = new ReentrantReadWriteLock();

    Drive(DriveConfig config, Node medium) {
        this.config = config;
        this.medium = medium;
        this.mediumReadOnly = config.readOnly();
    }

    public DriveConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** The device model's id or QOM path; empty for {@code if=none}. */
    public Optional<String> qdev() {
        return Optional.ofNullable(config.qdev());
    }

    /**
     * {@code blk_dev_has_removable_media}: CD-ROMs and floppies, and backends with no device model (QEMU's
     * virtio-blk CD-ROM is a plain disk).
     */
    public boolean removable() {
        return switch (config.iface()) {
            case IDE -> config.cdrom();
            case VIRTIO -> false;
            case NONE, FLOPPY, SD -> true;
        };
    }

    /** {@code blk_dev_has_tray}: only the IDE CD-ROM has one here. */
    public boolean hasTray() {
        return config.cdrom() && config.iface() == DriveConfig.Interface.IDE;
    }

    /**
     * IDE and virtio-blk enable the I/O status when they realize; other models and bare backends have none. QEMU
     * 7.2 then shows it only when a policy can stop the machine ({@code blk_iostatus_is_enabled}: werror enospc or
     * stop, or rerror stop; observed: an IDE drive with werror=report,rerror=report has no io-status).
     */
    public boolean ioStatusEnabled() {
        boolean device = config.iface() == DriveConfig.Interface.IDE || config.iface() == DriveConfig.Interface.VIRTIO;
        DriveConfig.ErrorAction w = config.werror();
        return device && (w == DriveConfig.ErrorAction.ENOSPC || w == DriveConfig.ErrorAction.STOP
                || config.rerror() == DriveConfig.ErrorAction.STOP);
    }

    public Optional<Node> medium() {
        return Optional.ofNullable(medium);
    }

    public boolean readOnly() {
        return mediumReadOnly;
    }

    public boolean trayOpen() {
        return trayOpen;
    }

    /** Whether the guest has locked the tray (SCSI PREVENT ALLOW MEDIUM REMOVAL). */
    public boolean locked() {
        return locked;
    }

    public BlockDeviceIoStatus ioStatus() {
        return ioStatus;
    }

    IoAccounting stats() {
        return stats;
    }

    void setErrorPolicy(ErrorPolicy policy) {
        this.errors = policy;
    }

    void setMedium(Node node, boolean readOnly) {
        this.medium = node;
        this.mediumReadOnly = readOnly;
    }

    void setTrayOpen(boolean open) {
        this.trayOpen = open;
    }

    void setLocked(boolean value) {
        this.locked = value;
    }

    void setIoStatus(BlockDeviceIoStatus value) {
        this.ioStatus = value;
    }

    /** The medium the guest can reach now: none while the tray is open. */
    private Node reachable(Kind kind) {
        Node node = medium;
        if (node == null || trayOpen) {
            stats.invalid(kind);
            throw new DriveIoException(kind, "No medium in drive '" + name() + "'", false);
        }
        return node;
    }

    private void checkRange(Node node, Kind kind, long offset, long length) {
        long size = node.driver().size();
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            stats.invalid(kind);
            throw new DriveIoException(kind, "Request [" + offset + ", +" + length + ") is outside drive '"
                    + name() + "' of " + size + " bytes", false);
        }
    }

    /** A guest read: {@code dst.byteSize()} bytes at {@code offset}. */
    public void read(long offset, MemorySegment dst) {
        submit(Kind.READ, offset, dst.byteSize(), node -> node.driver().read(offset, dst));
    }

    public byte[] read(long offset, int length) {
        byte[] buffer = new byte[length];
        read(offset, MemorySegment.ofArray(buffer));
        return buffer;
    }

    /** A guest write of {@code src} at {@code offset}. */
    public void write(long offset, MemorySegment src) {
        submit(Kind.WRITE, offset, src.byteSize(), node -> {
            node.driver().write(offset, src);
            node.wrote(offset + src.byteSize());
        });
    }

    public void write(long offset, byte[] data) {
        write(offset, MemorySegment.ofArray(data));
    }

    public void flush() {
        submit(Kind.FLUSH, -1, 0, node -> {
            if (!config.cache().noFlush()) {
                node.driver().flush();
            }
        });
    }

    /** A guest discard (TRIM, virtio DISCARD). */
    public void discard(long offset, long length) {
        submit(Kind.UNMAP, offset, length, node -> node.driver().discard(offset, length));
    }

    /** What the drive does with a request once the medium took it. */
    @FunctionalInterface
    private interface Request {
        void run(Node node);
    }

    /**
     * One guest request: refused and counted invalid when it cannot start (no medium, out of range, a write to a
     * read-only medium); counted done or failed otherwise. A failure goes to the error policy, which reports it,
     * ignores it, or stops the machine and has it retried once the machine runs again.
     */
    private void submit(Kind kind, long offset, long length, Request request) {
        while (true) {
            Node node;
            BlockException failure;
            drain.readLock().lock(); // in flight from here: a drained section waits for the request to end
            try {
                node = reachable(kind);
                if (offset >= 0) {
                    checkRange(node, kind, offset, length);
                }
                if (mediumReadOnly && (kind == Kind.WRITE || kind == Kind.UNMAP)) {
                    stats.invalid(kind);
                    throw new DriveIoException(kind, "Drive '" + name() + "' is read-only", false);
                }
                long start = IoAccounting.start();
                try {
                    request.run(node);
                    stats.done(kind, length, start);
                    return;
                } catch (BlockException e) {
                    stats.failed(kind, start);
                    failure = e;
                }
            } finally {
                drain.readLock().unlock();
            }
            // not in flight while the policy decides: a stopped request waits for cont outside the drain
            switch (errors.failed(this, node, kind, failure)) {
                case RETRY -> { }
                case IGNORE -> {
                    return;
                }
                case REPORT -> throw new DriveIoException(kind, failure.getMessage(), true);
            }
        }
    }

    /**
     * Runs {@code section} with no guest request in flight and none starting (QEMU's drained section,
     * {@code bdrv_drained_begin}/{@code end}): what it does to the medium - a last copy and a pivot - is not raced
     * by a guest write that would land on the image being left.
     */
    void drained(Runnable section) {
        drain.writeLock().lock();
        try {
            section.run();
        } finally {
            drain.writeLock().unlock();
        }
    }

    /** What becomes of a failed request ({@code blk_get_error_action}, then the device model). */
    enum Outcome { REPORT, IGNORE, RETRY }

    /** The error policy of the drives ({@code werror}/{@code rerror}). */
    @FunctionalInterface
    interface ErrorPolicy {
        Outcome failed(Drive drive, Node node, Kind kind, BlockException error);
    }

    /**
     * A guest request that did not complete.
     *
     * @param failed true when the request reached the image and failed there (an I/O error), false when it was
     *               refused before it started (no medium, out of range, read-only)
     */
    public static final class DriveIoException extends RuntimeException {
        private final Kind kind;
        private final boolean failed;

        DriveIoException(Kind kind, String message, boolean failed) {
            super(message);
            this.kind = kind;
            this.failed = failed;
        }

        public Kind kind() {
            return kind;
        }

        public boolean failed() {
            return failed;
        }
    }
}
