package org.jqmp.machine.guest;

import java.util.ArrayList;
import java.util.List;

/**
 * What the pc machine's firmware (SeaBIOS in QEMU) does with the disks at each power-on and reset, as far as
 * QMP can see it in {@code query-blockstats}: one 512-byte read at offset 0 of the first hard disk (QEMU 7.2
 * fixture: rd_operations 1, rd_bytes 512 after {@code cont}); when that disk has no boot signature, two
 * 2048-byte reads of each CD-ROM with a medium (the fixture's cd0: rd_operations 2, rd_bytes 4096; which
 * sectors is not observable, jqmp reads the ISO 9660 volume descriptors at sectors 16 and 17). Whatever it
 * finds, jqmp then starts its built-in operating system.
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
        List<String> hardDisks = names.stream().filter(n -> !disks.cdrom(n)).toList();
        if (names.isEmpty()) {
            lines.add("no disks; starting the built-in operating system");
            return lines;
        }
        boolean booted = !hardDisks.isEmpty() && bootSector(disks, hardDisks.getFirst(), lines);
        if (!booted) {
            names.stream().filter(disks::cdrom).forEach(cd -> cdrom(disks, cd, lines));
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

    private static void cdrom(GuestDisks disks, String device, List<String> lines) {
        try {
            if (disks.size(device) < 18L * CD_SECTOR) {
                return; // no medium (or too small to hold volume descriptors): SeaBIOS reads nothing
            }
            disks.read(device, 16L * CD_SECTOR, CD_SECTOR);
            disks.read(device, 17L * CD_SECTOR, CD_SECTOR);
            lines.add("booting from " + device + ": no El Torito boot record");
        } catch (GuestDiskException e) {
            lines.add(device + ": " + e.getMessage());
        }
    }
}
