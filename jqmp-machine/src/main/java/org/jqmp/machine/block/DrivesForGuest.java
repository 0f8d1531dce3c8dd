package org.jqmp.machine.block;

import java.util.ArrayList;
import java.util.List;
import org.jqmp.machine.guest.GuestDiskException;
import org.jqmp.machine.guest.GuestDisks;

/**
 * The drives as the simulated guest sees them: those with a device model (a bare {@code if=none} backend is
 * invisible to a guest), disks before CD-ROMs, each request going through the drive so that it is counted and
 * subject to the drive's error policy.
 */
final class DrivesForGuest implements GuestDisks {
    private final BlockDevices devices;

    DrivesForGuest(BlockDevices devices) {
        this.devices = devices;
    }

    @Override
    public List<String> names() {
        List<String> disks = new ArrayList<>(), cdroms = new ArrayList<>();
        for (Drive d : devices.drives()) {
            switch (d.config().iface()) {
                case IDE, VIRTIO -> (d.config().cdrom() ? cdroms : disks).add(d.name());
                default -> { }
            }
        }
        disks.addAll(cdroms);
        return disks;
    }

    private Drive drive(String device) {
        Drive d = devices.drive(device);
        if (d == null || !names().contains(device)) {
            throw GuestDisks.noSuchDisk(device);
        }
        return d;
    }

    /** The firmware tries a CD-ROM only when the first hard disk does not boot. */
    @Override
    public boolean cdrom(String device) {
        return drive(device).config().cdrom();
    }

    @Override
    public long size(String device) {
        return drive(device).medium().map(n -> n.driver().size()).orElse(0L);
    }

    @Override
    public byte[] read(String device, long offset, int length) {
        try {
            return drive(device).read(offset, length);
        } catch (Drive.DriveIoException e) {
            throw new GuestDiskException(e.getMessage());
        }
    }

    @Override
    public void write(String device, long offset, byte[] data) {
        try {
            drive(device).write(offset, data);
        } catch (Drive.DriveIoException e) {
            throw new GuestDiskException(e.getMessage());
        }
    }

    @Override
    public void flush(String device) {
        try {
            drive(device).flush();
        } catch (Drive.DriveIoException e) {
            throw new GuestDiskException(e.getMessage());
        }
    }

    @Override
    public void lockTray(String device, boolean locked) {
        Drive d = drive(device);
        if (!d.hasTray()) {
            throw new GuestDiskException(device + " has no tray to lock");
        }
        d.setLocked(locked);
    }
}
