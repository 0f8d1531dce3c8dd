package org.jqmp.machine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jqmp.api.BlockDeviceIoStatus;
import org.jqmp.api.RunState;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.json.JsonEncoder;
import org.jqmp.machine.Machine;
import org.jqmp.machine.MachineConfig;
import org.jqmp.machine.MachineType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * werror on a really full filesystem: a qcow2 image on a 1 MiB tmpfs mounted by the test (root only; skipped
 * otherwise) fills up. {@code stop} and {@code enospc} stop the machine in io-error with BLOCK_IO_ERROR then
 * STOP and hold the write; after the filesystem grows, {@code cont} resets the I/O status and the write lands.
 * {@code report} fails the request, {@code ignore} swallows it; both keep the machine running.
 */
class IoErrorPolicyTest {
    @TempDir
    Path dir;
    Path fs;
    final List<String> events = new CopyOnWriteArrayList<>();
    BlockDevices devices;
    Machine machine;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        QemuImg.require();
        fs = dir.resolve("fs");
        Files.createDirectories(fs);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", fs.toString())
                .redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes());
        assumeTrue(mount.waitFor() == 0, "cannot mount a size-limited tmpfs (needs root): " + out.strip()
                + "; the real-ENOSPC error-policy tests are skipped");
        QemuImg.run("qemu-img", "create", "-f", "qcow2", fs.resolve("disk.qcow2").toString(), "64M");
        devices = new BlockDevices((name, data, features) -> events.add(name + " " + JsonEncoder.encode(data, false)),
                CompatPolicy.ACCEPT_ALL, line -> { });
        machine = Machine.builder(MachineConfig.of(MachineType.PC))
                .events((name, data, features) -> events.add(name))
                .build();
        devices.attach(machine);
        machine.start();
        events.clear(); // RESUME
    }

    @AfterEach
    void unmount() throws Exception {
        if (devices != null) {
            devices.close();
        }
        if (fs != null) {
            new ProcessBuilder("umount", "-l", fs.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Drive drive(DriveConfig.ErrorAction werror) {
        return devices.add(new DriveConfig("disk0", "/machine/unattached/device[18]", DriveConfig.Interface.IDE,
                false, fs.resolve("disk.qcow2").toString(), "qcow2", false, DriveConfig.CacheMode.WRITEBACK, werror,
                DriveConfig.ErrorAction.REPORT, null));
    }

    /** Writes 64 KiB blocks of {@code value} until one does not return at once; returns that block's offset. */
    private static long fillUntilStuck(Drive drive, byte value, CompletableFuture<?>[] pending) throws Exception {
        byte[] block = new byte[65536];
        Arrays.fill(block, value);
        for (long offset = 0; offset < 64 << 20; offset += block.length) {
            long at = offset;
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> drive.write(at, block));
            try {
                write.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                pending[0] = write;
                return at;
            }
        }
        throw new AssertionError("the 1 MiB filesystem never filled up");
    }

    @Test
    void stopHoldsTheWriteUntilContAndLosesNothing() throws Exception {
        Drive drive = drive(DriveConfig.ErrorAction.STOP);
        CompletableFuture<?>[] pending = new CompletableFuture<?>[1];
        long stuckAt = fillUntilStuck(drive, (byte) 7, pending);
        assertThat(machine.runState()).isEqualTo(RunState.IO_ERROR);
        assertThat(drive.ioStatus()).isEqualTo(BlockDeviceIoStatus.NOSPACE);
        String node = drive.medium().orElseThrow().name();
        assertThat(events).containsExactly("BLOCK_IO_ERROR {\"device\": \"disk0\", \"nospace\": true, \"node-name\": \""
                + node + "\", \"reason\": \"No space left on device\", \"operation\": \"write\", \"action\": \"stop\"}",
                "STOP");
        assertThat(devices.queryBlock().getFirst().ioStatus()).isEqualTo(BlockDeviceIoStatus.NOSPACE);
        assertThat(pending[0]).isNotDone();
        new ProcessBuilder("mount", "-o", "remount,size=16m", fs.toString()).start().waitFor();
        machine.cont();
        pending[0].get(10, TimeUnit.SECONDS);
        assertThat(drive.ioStatus()).isEqualTo(BlockDeviceIoStatus.OK);
        assertThat(machine.runState()).isEqualTo(RunState.RUNNING);
        byte[] expected = new byte[65536];
        Arrays.fill(expected, (byte) 7);
        for (long offset = 0; offset <= stuckAt; offset += 65536) {
            assertThat(drive.read(offset, 65536)).as("block at " + offset).isEqualTo(expected);
        }
        assertThat(devices.queryBlockstats(false).getFirst().stats().failedWrOperations()).isEqualTo(1);
        devices.close();
        devices = null;
        assertThat(QemuImg.checkNoCorruption(fs.resolve("disk.qcow2"))).doesNotContain("ERROR");
    }

    @Test
    void reportFailsTheRequestAndIgnoreSwallowsIt() throws Exception {
        Drive drive = drive(DriveConfig.ErrorAction.REPORT);
        byte[] block = new byte[65536];
        long offset = 0;
        while (true) {
            try {
                drive.write(offset, block.clone());
                Arrays.fill(block, (byte) 1);
            } catch (Drive.DriveIoException e) {
                assertThat(e.failed()).isTrue();
                break;
            }
            offset += 65536;
            assertThat(offset).isLessThan(64 << 20);
        }
        assertThat(machine.runState()).isEqualTo(RunState.RUNNING);
        // werror=report,rerror=report: no I/O status (blk_iostatus_is_enabled), so QEMU 7.2 leaves nospace out
        assertThat(events).singleElement().asString().contains("\"action\": \"report\"").doesNotContain("nospace");
        assertThat(drive.ioStatus()).isEqualTo(BlockDeviceIoStatus.OK);
        devices.close();
        events.clear();
        devices = new BlockDevices((name, data, features) -> events.add(name + " " + JsonEncoder.encode(data, false)),
                CompatPolicy.ACCEPT_ALL, line -> { });
        devices.attach(machine);
        Drive ignoring = drive(DriveConfig.ErrorAction.IGNORE);
        ignoring.write(offset + (1 << 20), block);
        assertThat(events).singleElement().asString().contains("\"action\": \"ignore\"");
        assertThatThrownBy(() -> ignoring.write(64 << 20, block)).isInstanceOf(Drive.DriveIoException.class);
    }
}
