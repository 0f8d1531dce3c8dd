package org.jqmp.machine.guest;

import java.util.ArrayList;
import java.util.List;

/**
 * What the pc machine's firmware (SeaBIOS in QEMU) does with the disks at each power-on and reset, as far as
 * QMP can see it in {@code query-blockstats} (observed on QEMU 7.2 with an empty qcow2 disk and a raw CD, and with
 * a disk that has a boot signature): while it sets the drives up, one 2048-byte read of each CD-ROM with a
 * medium; then one 512-byte read at offset 0 of the first hard disk; when that has no boot signature, one more
 * 2048-byte read of each CD-ROM, looking for a boot record (the fixture's cd0: rd_operations 2, rd_bytes 4096).
 * Which sectors is not observable: jqmp reads the ISO 9660 primary volume descriptor (sector 16), then the El
 * Torito boot record volume descriptor (sector 17). Whatever it finds, jqmp then starts its built-in OS.
 */
final class Firmware {
    static final int SECTOR = 512;
    static final int CD_SECTOR = 2048;

    private Firmware() {
    }

    /** Reads what SeaBIOS reads; returns the lines the firmware prints. */
    static List<String> boot(GuestDisks disks) {
        List<String> lines = new ArrayList<>();
        List<String> names = disks.names();
        if (names.isEmpty()) {
            lines.add("no disks; starting the built-in operating system");
            return lines;
        }
        List<String> cdroms = names.stream().filter(disks::cdrom).filter(cd -> hasMedium(disks, cd, lines)).toList();
        cdroms.forEach(cd -> cdRead(disks, cd, 16, lines));
        List<String> hardDisks = names.stream().filter(n -> !disks.cdrom(n)).toList();
        boolean booted = !hardDisks.isEmpty() && bootSector(disks, hardDisks.getFirst(), lines);
        if (!booted) {
            cdroms.forEach(cd -> {
                if (cdRead(disks, cd, 17, lines)) {
                    lines.add("booting from " + cd + ": no El Torito boot record");
                }
            });
        }
        lines.add("starting the built-in operating system");
        return lines;
    }

    private static boolean bootSector(GuestDisks disks, String device, List<String> lines) {
        try {
            byte[] sector = disks.read(device, 0, SECTOR);
            boolean signature = sector.length == SECTOR && (sector[510] & 0xff) == 0x55
                    && (sector[511] & 0xff) == 0xaa;
            lines.add("booting from " + device + (signature ? " (boot signature 55aa)" : ": no boot signature"));
            return signature;
        } catch (GuestDiskException e) {
            lines.add(device + ": " + e.getMessage());
            return false;
        }
    }

    /** A medium big enough to hold the volume descriptors; a drive without one is not read. */
    private static boolean hasMedium(GuestDisks disks, String device, List<String> lines) {
        try {
            return disks.size(device) >= 18L * CD_SECTOR;
        } catch (GuestDiskException e) {
            lines.add(device + ": " + e.getMessage());
            return false;
        }
    }

    private static boolean cdRead(GuestDisks disks, String device, int sector, List<String> lines) {
        try {
            disks.read(device, (long) sector * CD_SECTOR, CD_SECTOR);
            return true;
        } catch (GuestDiskException e) {
            lines.add(device + ": " + e.getMessage());
            return false;
        }
    }
}
