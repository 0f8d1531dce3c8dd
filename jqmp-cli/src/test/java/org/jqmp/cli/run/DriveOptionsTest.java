package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jqmp.machine.block.DriveConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -drive} as QEMU 7.2 reads it: names, places and QOM paths of the drives it makes, and the texts of what
 * it refuses - each refusal checked against the real QEMU by {@link #realQemuPrintsTheSameText} (with
 * {@code -M pc -nodefaults -S -display none} before the arguments).
 */
class DriveOptionsTest {
    static final List<String> BASE = List.of("-M", "pc", "-nodefaults", "-S", "-display", "none");

    static Stream<Arguments> refusals() {
        return Stream.of(
                error("-drive|file=/nonexistent/d.qcow2,if=bogus",
                        "-drive file=/nonexistent/d.qcow2,if=bogus: unsupported bus type 'bogus'"),
                error("-drive|file=/nonexistent/d.qcow2,werror=bad",
                        "-drive file=/nonexistent/d.qcow2,werror=bad: 'bad' invalid write error action"),
                error("-drive|file=/nonexistent/d.qcow2,rerror=enospc",
                        "-drive file=/nonexistent/d.qcow2,rerror=enospc: 'enospc' invalid read error action"),
                error("-drive|file=/nonexistent/d.qcow2,media=tape",
                        "-drive file=/nonexistent/d.qcow2,media=tape: 'tape' invalid media"),
                error("-drive|file=/nonexistent/d.qcow2,cache=weird",
                        "-drive file=/nonexistent/d.qcow2,cache=weird: invalid cache option"),
                // QEMU opens the image before it places the drive: an image that opens (/dev/null as raw)
                error("-drive|file=/dev/null,format=raw,index=4",
                        "-drive file=/dev/null,format=raw,index=4: machine type does not support if=ide,bus=2,unit=0"),
                error("-drive|file=/nonexistent/d.qcow2,id=a b",
                        "-drive file=/nonexistent/d.qcow2,id=a b: Parameter 'id' expects an identifier\n"
                                + "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter."),
                error("-drive|file=/nonexistent/a,id=x|-drive|file=/nonexistent/b,id=x",
                        "-drive file=/nonexistent/b,id=x: Duplicate ID 'x' for drive"),
                error("-device|ide-hd,drive=nope", "-device ide-hd,drive=nope: Property 'ide-hd.drive' can't find value "
                        + "'nope'"),
                error("-device|ide-hd", "-device ide-hd: No drive specified"),
                error("-drive|if=none,id=d0,driver=raw,format=raw,file=/dev/null",
                        "-drive if=none,id=d0,driver=raw,format=raw,file=/dev/null: Cannot specify both 'driver' and "
                                + "'format'"),
                error("-device|virtio-blk-pci", "-device virtio-blk-pci: drive property not set"),
                error("-drive|if=none,id=d0,file=/dev/null,format=raw|-device|ide-hd,drive=d0|-device|ide-hd,drive=d0",
                        "-device ide-hd,drive=d0: Drive 'd0' is already in use by another device"));
    }

    static Arguments error(String args, String... lines) {
        return Arguments.of(args, List.of(lines));
    }

    static List<String> withBase(String args) {
        List<String> all = new ArrayList<>(BASE);
        all.addAll(Arrays.asList(args.split("\\|", -1)));
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithQemusText(String args, List<String> expected) {
        CommandLineException e = catchThrowableOfType(CommandLineException.class,
                () -> QemuCommandLine.parse(withBase(args)));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.messages()).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void realQemuPrintsTheSameText(String args, List<String> expected) throws Exception {
        RealQemu.assumeInstalled();
        RealQemu.Outcome outcome = RealQemu.run(withBase(args));
        assertThat(outcome.stderr()).isEqualTo(new CommandLineException(expected).format(RealQemu.PROGRAM));
        assertThat(outcome.exitCode()).isEqualTo(1);
    }

    private static List<DriveConfig> drives(String... args) {
        List<String> all = new ArrayList<>(List.of("-M", "pc", "-S", "-display", "none"));
        all.addAll(List.of(args));
        return QemuCommandLine.parse(all).drives().stream().map(DriveRequest::config).toList();
    }

    @Test
    void automaticNamesPlacesAndDefaultDrivesAsQemu() {
        // observed on QEMU 7.2: -M pc (with its defaults) -drive file=d.qcow2 -drive file=cd.iso
        List<DriveConfig> drives = drives("-drive", "file=d.qcow2", "-drive", "file=cd.iso");
        assertThat(drives).extracting(DriveConfig::name)
                .containsExactly("ide0-hd0", "ide0-hd1", "ide1-cd0", "floppy0", "sd0");
        assertThat(drives).extracting(DriveConfig::qdev).containsExactly("/machine/unattached/device[23]",
                "/machine/unattached/device[24]", "/machine/unattached/device[25]", "/machine/unattached/device[16]",
                null);
        assertThat(drives.get(2).cdrom()).isTrue();
        assertThat(drives.get(2).file()).isNull();
    }

    @Test
    void interfacesAndTheirNames() {
        // observed on QEMU 7.2 with -M pc -nodefaults: ide0-hd0 device[18], ide0-cd1 device[19],
        // virtio0 on /machine/peripheral-anon/device[0]/virtio-backend, an if=none drive without device
        List<String> args = new ArrayList<>(List.of("-nodefaults", "-drive", "file=d.qcow2", "-drive",
                "if=ide,media=cdrom", "-drive", "file=cd.iso,if=virtio,format=raw", "-drive",
                "file=cd.iso,if=none,format=raw,id=nn,werror=stop,rerror=ignore,cache=none,readonly=on"));
        List<DriveConfig> drives = drives(args.toArray(String[]::new));
        assertThat(drives).extracting(DriveConfig::name).containsExactly("ide0-hd0", "ide0-cd1", "virtio0", "nn");
        assertThat(drives).extracting(DriveConfig::qdev).containsExactly("/machine/unattached/device[18]",
                "/machine/unattached/device[19]", "/machine/peripheral-anon/device[0]/virtio-backend", null);
        DriveConfig nn = drives.get(3);
        assertThat(nn.werror()).isEqualTo(DriveConfig.ErrorAction.STOP);
        assertThat(nn.rerror()).isEqualTo(DriveConfig.ErrorAction.IGNORE);
        assertThat(nn.cache()).isEqualTo(new DriveConfig.CacheMode(true, true, false));
        assertThat(nn.readOnly()).isTrue();
        assertThat(drives.get(0).werror()).isEqualTo(DriveConfig.ErrorAction.ENOSPC);
        assertThat(drives.get(0).rerror()).isEqualTo(DriveConfig.ErrorAction.REPORT);
    }
}
