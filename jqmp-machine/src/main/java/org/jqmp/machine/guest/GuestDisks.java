package org.jqmp.machine.guest;

import java.util.List;

/**
 * The disks the guest sees, as the block layer provides them: what the guest's firmware and workloads read and
 * write. Every method may be called from the guest's own thread at any time while the virtual CPUs run; none is
 * called under the machine lock. A failure is a {@link GuestDiskException} whose message the guest prints.
 */
public interface GuestDisks {

    /** No disks: the firmware finds nothing to read and boots the built-in operating system. */
    GuestDisks NONE = new GuestDisks() {
        @Override
        public List<String> names() {
            return List.of();
        }

        @Override
        public long size(String device) {
            throw noSuchDisk(device);
        }

        @Override
        public byte[] read(String device, long offset, int length) {
            throw noSuchDisk(device);
        }

        @Override
        public void write(String device, long offset, byte[] data) {
            throw noSuchDisk(device);
        }

        @Override
        public void flush(String device) {
            throw noSuchDisk(device);
        }

        @Override
        public void lockTray(String device, boolean locked) {
            throw noSuchDisk(device);
        }
    };

    /** The disk device names (QEMU's {@code device} in {@code query-block}), boot disk first. */
    List<String> names();

    /** A CD-ROM drive: the firmware tries it only when the first hard disk does not boot. */
    default boolean cdrom(String device) {
        return false;
    }

    /** The disk's size in bytes (0 for a drive without medium). */
    long size(String device);

    /** Reads {@code length} bytes at {@code offset}; counts as one read operation in the disk's statistics. */
    byte[] read(String device, long offset, int length);

    /** Writes {@code data} at {@code offset}; one write operation. */
    void write(String device, long offset, byte[] data);

    /** Flushes the disk's write cache; one flush operation. */
    void flush(String device);

    /** Locks or unlocks a removable medium's tray, as a guest does while it uses a CD ({@code blk_lock_medium}). */
    void lockTray(String device, boolean locked);

    /** The error for a device name the guest does not have. */
    static GuestDiskException noSuchDisk(String device) {
        return new GuestDiskException("no disk named '" + device + "'");
    }
}
