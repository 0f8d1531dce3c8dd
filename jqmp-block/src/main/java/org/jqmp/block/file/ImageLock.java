package org.jqmp.block.file;

import java.util.EnumSet;
import java.util.Set;
import org.jqmp.block.BlockException;
import org.jqmp.block.ImageLockedException;

/**
 * QEMU's image locking (block/file-posix.c, "lock bytes"), reproduced byte for byte so that jqmp and QEMU
 * see each other: for permission bit {@code i}, a holder takes a shared OFD lock on byte {@code 100 + i};
 * for a permission it does not share, a shared OFD lock on byte {@code 200 + i}. Someone wanting permission
 * {@code i} fails if byte {@code 200 + i} is locked by another; someone not sharing {@code i} fails if byte
 * {@code 100 + i} is. Observed on qemu-io 7.2 (/proc/locks): a writer locks 100, 101, 103, 201, 203; a
 * read-only user 100, 201, 203.
 */
final class ImageLock implements AutoCloseable {
    static final long PERM_BASE = 100, SHARED_BASE = 200;

    /** QEMU 7.2's BLK_PERM_* bits, in bit order, with the names its errors use. */
    enum Permission {
        CONSISTENT_READ("consistent read"), WRITE("write"), WRITE_UNCHANGED("write unchanged"), RESIZE("resize");

        final String qemuName;

        Permission(String qemuName) {
            this.qemuName = qemuName;
        }
    }

    private final NativeFile fd;
    private final String image;

    private ImageLock(NativeFile fd, String image) {
        this.fd = fd;
        this.image = image;
    }

    /** The permissions QEMU's qemu-img/qemu-io take for a read-only or read/write open. */
    static Set<Permission> permsFor(boolean readOnly) {
        return readOnly ? EnumSet.of(Permission.CONSISTENT_READ)
                : EnumSet.of(Permission.CONSISTENT_READ, Permission.WRITE, Permission.RESIZE);
    }

    static Set<Permission> sharedFor(boolean forceShare) {
        return forceShare ? EnumSet.allOf(Permission.class)
                : EnumSet.of(Permission.CONSISTENT_READ, Permission.WRITE_UNCHANGED);
    }

    /** Takes the lock bytes, then checks for conflicts, as QEMU does; on conflict releases and throws. */
    static ImageLock acquire(NativeFile fd, String image, Set<Permission> perms, Set<Permission> shared) {
        ImageLock lock = new ImageLock(fd, image);
        try {
            lock.apply(perms, shared);
            lock.check(perms, shared);
            return lock;
        } catch (RuntimeException e) {
            lock.releaseAll();
            throw e;
        }
    }

    private void apply(Set<Permission> perms, Set<Permission> shared) {
        for (Permission p : Permission.values()) {
            set(PERM_BASE + p.ordinal(), perms.contains(p));
            set(SHARED_BASE + p.ordinal(), !shared.contains(p));
        }
    }

    private void set(long offset, boolean locked) {
        try {
            fd.setLock(offset, locked ? NativeFile.F_RDLCK : NativeFile.F_UNLCK);
        } catch (NativeFile.NativeError e) {
            throw new ImageLockedException(image, "Failed to lock byte " + offset
                    + (e.errno == NativeFile.EAGAIN || e.errno == NativeFile.EACCES ? "" : " (" + e.getMessage() + ")")
                    + "\nIs another process using the image [" + image + "]?");
        }
    }

    private void check(Set<Permission> perms, Set<Permission> shared) {
        for (Permission p : Permission.values()) {
            if (perms.contains(p) && conflicts(SHARED_BASE + p.ordinal())) {
                throw locked("Failed to get \"" + p.qemuName + "\" lock");
            }
            if (!shared.contains(p) && conflicts(PERM_BASE + p.ordinal())) {
                throw locked("Failed to get shared \"" + p.qemuName + "\" lock");
            }
        }
    }

    private boolean conflicts(long offset) {
        try {
            return fd.conflicts(offset, NativeFile.F_WRLCK);
        } catch (NativeFile.NativeError e) {
            throw new BlockException(image, "Failed to check lock byte " + offset + ": " + e.getMessage());
        }
    }

    private ImageLockedException locked(String what) {
        return new ImageLockedException(image, what + "\nIs another process using the image [" + image + "]?");
    }

    private void releaseAll() {
        for (Permission p : Permission.values()) {
            try {
                fd.setLock(PERM_BASE + p.ordinal(), NativeFile.F_UNLCK);
                fd.setLock(SHARED_BASE + p.ordinal(), NativeFile.F_UNLCK);
            } catch (NativeFile.NativeError ignored) {
                // unlocking cannot conflict; closing the descriptor drops the locks anyway
            }
        }
    }

    @Override
    public void close() {
        releaseAll();
    }
}
