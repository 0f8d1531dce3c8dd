package org.jqmp.machine.block;

import java.util.Objects;

/**
 * One drive as {@code -drive} describes it, resolved: the BlockBackend's name, its device model and where the
 * model sits, the image (if any), and QEMU's per-drive options.
 *
 * @param name      the BlockBackend name: the {@code id}, or QEMU's {@code ide0-hd0}/{@code virtio0}-style name
 * @param qdev      the device model's id or QOM path ({@code /machine/unattached/device[19]}); null without one
 * @param iface     {@code if=}
 * @param cdrom     {@code media=cdrom}: a removable medium behind a tray
 * @param file      the image, or null for an empty drive
 * @param format    {@code format=}, or null to probe
 * @param readOnly  {@code readonly=on} (a CD-ROM is always read-only)
 * @param cache     {@code cache=}
 * @param werror    {@code werror=}
 * @param rerror    {@code rerror=}
 * @param nodeName  {@code node-name=} for the format node, or null for an automatic name
 */
public record DriveConfig(String name, String qdev, Interface iface, boolean cdrom, String file, String format,
                          boolean readOnly, CacheMode cache, ErrorAction werror, ErrorAction rerror, String nodeName) {

    /**
     * {@code if=}: the bus the device model sits on ({@code none}: no device model at all). FLOPPY and SD are the
     * pc machine's default empty drives ({@code floppy0}, {@code sd0}), which jqmp lists as QEMU does.
     */
    public enum Interface { IDE, VIRTIO, NONE, FLOPPY, SD }

    /** {@code werror=}/{@code rerror=} ({@code BlockdevOnError} of QEMU's drive options). */
    public enum ErrorAction {
        REPORT, IGNORE, STOP, ENOSPC;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code cache=}: QEMU's three flags. {@code writeback} (the default) is {@code (true, false, false)},
     * {@code none} {@code (true, true, false)}, {@code writethrough} {@code (false, false, false)},
     * {@code directsync} {@code (false, true, false)}, {@code unsafe} {@code (true, false, true)}.
     */
    public record CacheMode(boolean writeback, boolean direct, boolean noFlush) {
        public static final CacheMode WRITEBACK = new CacheMode(true, false, false);
    }

    public DriveConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(werror, "werror");
        Objects.requireNonNull(rerror, "rerror");
    }

    /** A disk of this image on the first free IDE place, with QEMU's defaults (tests and simple callers). */
    public static DriveConfig disk(String name, String qdev, String file, String format) {
        return new DriveConfig(name, qdev, Interface.IDE, false, file, format, false, CacheMode.WRITEBACK,
                ErrorAction.ENOSPC, ErrorAction.REPORT, null);
    }

    /** A CD-ROM drive, empty when {@code file} is null. */
    public static DriveConfig cdrom(String name, String qdev, String file, String format) {
        return new DriveConfig(name, qdev, Interface.IDE, true, file, format, true, CacheMode.WRITEBACK,
                ErrorAction.ENOSPC, ErrorAction.REPORT, null);
    }
}
