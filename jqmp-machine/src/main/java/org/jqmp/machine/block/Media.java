package org.jqmp.machine.block;

import org.jqmp.api.BlockEvents;
import org.jqmp.api.BlockdevChangeReadOnlyMode;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;

/**
 * Removable media: trays and media of drives, as QEMU 7.2's {@code block/qapi-sysemu.c} handles them - the
 * checks in its order, its texts, and DEVICE_TRAY_MOVED whenever a tray really moves. A guest that locked its
 * tray is asked to eject and the command fails unless {@code force} is given.
 */
final class Media {
    private final BlockDevices devices;
    private final BlockEvents events;
    private final EjectRequests guest;

    /** What the guest hears when the host asks it to give up its locked medium. */
    @FunctionalInterface
    public interface EjectRequests {
        void ejectRequested(Drive drive, boolean force);
    }

    Media(BlockDevices devices, BlockEvents events, EjectRequests guest) {
        this.devices = devices;
        this.events = events;
        this.guest = guest;
    }

    /** {@code eject}: open the tray (a tray-less removable drive has nothing to open), then drop the medium. */
    void eject(String device, String id, boolean force) {
        Drive drive = devices.find(device, id);
        openTray(drive, device != null ? device : id, force);
        removeMedium(drive, device != null ? device : id);
    }

    void openTray(String device, String id, boolean force) {
        Drive drive = devices.find(device, id);
        if (!drive.hasTray()) {
            throw QmpException.generic(drive.removable()
                    ? "Device '" + (device != null ? device : id) + "' does not have a tray"
                    : "Device '" + (device != null ? device : id) + "' is not removable");
        }
        openTray(drive, device != null ? device : id, force);
    }

    /** {@code do_open_tray}; a drive without a tray is left alone (eject tolerates that). */
    private void openTray(Drive drive, String label, boolean force) {
        if (!drive.removable()) {
            throw QmpException.generic("Device '" + label + "' is not removable");
        }
        if (!drive.hasTray() || drive.trayOpen()) {
            return;
        }
        boolean locked = drive.locked();
        if (locked) {
            guest.ejectRequested(drive, force);
            if (force) {
                drive.setLocked(false);
            }
        }
        if (!locked || force) {
            moveTray(drive, true);
        }
        if (locked && !force) {
            throw QmpException.generic("Device '" + label
                    + "' is locked and force was not specified, wait for tray to open and try again");
        }
    }

    void closeTray(String device, String id) {
        Drive drive = devices.find(device, id);
        if (!drive.removable()) {
            throw QmpException.generic("Device '" + (device != null ? device : id) + "' is not removable");
        }
        if (drive.hasTray() && drive.trayOpen()) {
            moveTray(drive, false);
        }
    }

    void removeMedium(String id) {
        Drive drive = byId(id);
        removeMedium(drive, id);
    }

    private void removeMedium(Drive drive, String label) {
        if (!drive.removable()) {
            throw QmpException.generic("Device '" + label + "' is not removable");
        }
        if (drive.hasTray() && !drive.trayOpen()) {
            throw QmpException.generic("Tray of device '" + label + "' is not open");
        }
        drive.medium().ifPresent(node -> {
            drive.setMedium(null, drive.config().readOnly());
            if (!node.monitorOwned()) {
                devices.graph().close(node);
            }
        });
    }

    void insertMedium(String id, String nodeName) {
        Drive drive = byId(id);
        Node node = devices.graph().lookup(nodeName);
        if (node == null) {
            throw QmpException.generic("Node '" + nodeName + "' not found");
        }
        if (devices.isAttached(node)) {
            throw QmpException.generic("Node '" + nodeName + "' is already in use");
        }
        insertMedium(drive, id, node, node.driver().isReadOnly());
    }

    private void insertMedium(Drive drive, String label, Node node, boolean readOnly) {
        if (!drive.removable()) {
            throw QmpException.generic("Device '" + label + "' is not removable");
        }
        if (drive.hasTray() && !drive.trayOpen()) {
            throw QmpException.generic("Tray of the device is not open");
        }
        if (drive.medium().isPresent()) {
            throw QmpException.generic("There already is a medium in the device");
        }
        drive.setMedium(node, readOnly);
    }

    /**
     * {@code blockdev-change-medium}: open the new image first (nothing changes if that fails), then open the
     * tray, swap the media and close the tray.
     */
    void changeMedium(String device, String id, String filename, String format, boolean force,
                      BlockdevChangeReadOnlyMode mode) {
        Drive drive = devices.find(device, id);
        String label = device != null ? device : id;
        if (!drive.removable()) {
            throw QmpException.generic("Device '" + label + "' is not removable");
        }
        boolean readOnly = switch (mode == null ? BlockdevChangeReadOnlyMode.RETAIN : mode) {
            case RETAIN -> drive.readOnly();
            case READ_ONLY -> true;
            case READ_WRITE -> false;
        };
        Node node;
        try {
            node = devices.graph().open(filename, format, readOnly, null, true);
        } catch (QmpException e) {
            if (!e.error().desc().startsWith("Failed to get ")) {
                throw e;
            }
            // QEMU opens the image first but takes its locks only when it attaches it to the drive: by then the
            // tray is open and the old medium gone, and the error comes without the hint line
            openTray(drive, label, force);
            removeMedium(drive, label);
            String desc = e.error().desc();
            int newline = desc.indexOf('\n');
            throw newline < 0 ? QmpException.generic(desc)
                    : QmpException.generic(desc.substring(0, newline)).withHint(desc.substring(newline + 1));
        }
        try {
            openTray(drive, label, force);
            removeMedium(drive, label);
            insertMedium(drive, label, node, readOnly);
        } catch (QmpException e) {
            devices.graph().close(node);
            throw e;
        }
        if (drive.hasTray() && drive.trayOpen()) {
            moveTray(drive, false);
        }
    }

    void moveTray(Drive drive, boolean open) {
        drive.setTrayOpen(open);
        events.deviceTrayMoved(drive.name(), drive.qdev().orElse(""), open);
    }

    /** The {@code id} forms of the medium commands name the device model: its id or QOM path. */
    private Drive byId(String id) {
        for (Drive d : devices.drives()) {
            if (id.equals(d.qdev().orElse(null))) {
                return d;
            }
        }
        throw new QmpException(ErrorClass.DeviceNotFound, "Device '" + id + "' not found");
    }
}
