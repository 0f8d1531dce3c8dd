package org.jqmp.machine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jqmp.api.RunState;
import org.jqmp.machine.GuestActions;
import org.jqmp.machine.MachineConfig;
import org.jqmp.machine.MachineType;
import org.jqmp.machine.guest.GuestRig.ConsoleKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the guest asks of its disks: the firmware's boot-sector read, workloads, tray locks, failures. */
class GuestDisksTest {
    static final GuestOptions FAST = GuestConsoleTest.FAST;

    @TempDir
    Path dir;
    GuestRig rig;
    RecordingDisks disks;

    @AfterEach
    void close() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    private void start(GuestOptions options, boolean paused) throws Exception {
        byte[] bootable = new byte[64 * 1024];
        bootable[510] = 0x55;
        bootable[511] = (byte) 0xaa;
        disks = new RecordingDisks().with("disk0", bootable).with("cd0", new byte[8192]);
        rig = new GuestRig(ConsoleKind.SOCKET, MachineConfig.of(MachineType.PC).withStartPaused(paused)
                .withActions(GuestActions.DEFAULT), options, disks, dir);
    }

    /** SeaBIOS reads 512 bytes at offset 0 once per boot (QEMU 7.2: rd_operations 1, rd_bytes 512 after cont). */
    @Test
    void theFirmwareReadsTheBootSectorOnceAtEachBoot() throws Exception {
        start(FAST, true);
        assertThat(rig.guest.settledPhase()).isEqualTo(SimulatedGuest.Phase.OFF);
        assertThat(disks.requests()).isEmpty();
        rig.machine.cont();
        rig.awaitOutput("jqmp firmware: booting from disk0 (boot signature 55aa)\r\n");
        rig.awaitBoot();
        assertThat(disks.requests()).containsExactly("read disk0 0 512");
        rig.type("reboot\n");
        rig.awaitEvents("RESUME", "RESET {\"guest\":true,\"reason\":\"guest-reset\"}");
        rig.awaitBoot();
        assertThat(disks.requests()).containsExactly("read disk0 0 512", "read disk0 0 512");
    }

    /** No boot signature on the hard disk: SeaBIOS tries the CD (QEMU 7.2: cd0 rd_operations 2, rd_bytes 4096). */
    @Test
    void withoutABootSignatureTheFirmwareTriesTheCdroms() throws Exception {
        disks = new RecordingDisks().with("disk0", new byte[4096]).with("cd0", new byte[64 * 1024])
                .with("cd1", new byte[2048]);
        rig = new GuestRig(ConsoleKind.SOCKET, MachineConfig.of(MachineType.PC), FAST, disks, dir);
        rig.awaitOutput("jqmp firmware: booting from disk0: no boot signature\r\n"
                + "jqmp firmware: booting from cd0: no El Torito boot record\r\n"
                + "jqmp firmware: starting the built-in operating system\r\n");
        rig.awaitBoot();
        assertThat(disks.requests()).containsExactly("read cd0 32768 2048", "read disk0 0 512",
                "read cd0 34816 2048");
    }

    /** QEMU 7.2 with a bootable disk: disk0 1 read of 512 bytes, cd0 1 read of 2048 (when SeaBIOS sets it up). */
    @Test
    void aBootableDiskLeavesTheCdromAtItsSetUpRead() throws Exception {
        byte[] bootable = new byte[4096];
        bootable[510] = 0x55;
        bootable[511] = (byte) 0xaa;
        disks = new RecordingDisks().with("disk0", bootable).with("cd0", new byte[64 * 1024]);
        rig = new GuestRig(ConsoleKind.SOCKET, MachineConfig.of(MachineType.PC), FAST, disks, dir);
        rig.awaitOutput("jqmp firmware: booting from disk0 (boot signature 55aa)\r\n"
                + "jqmp firmware: starting the built-in operating system\r\n");
        rig.awaitBoot();
        assertThat(disks.requests()).containsExactly("read cd0 32768 2048", "read disk0 0 512");
    }

    @Test
    void aWriteWorkloadWritesThePatternAndFlushes() throws Exception {
        start(FAST, false);
        rig.awaitBoot();
        rig.type("disk disk0 write rate=2000/s size=1k\n");
        assertThat(rig.awaitOutput("guest# ")).contains("disk0: write, 2000/s, 1024 bytes");
        rig.await("a flush", () -> disks.requests().contains("flush disk0"));
        rig.type("disk disk0 idle\n");
        rig.awaitOutput("disk0: idle\r\nguest# ");
        List<String> requests = disks.requests();
        assertThat(requests.getFirst()).isEqualTo("read disk0 0 512");
        assertThat(requests.subList(1, 17)).allMatch(r -> r.matches("write disk0 \\d+ 1024"));
        assertThat(requests.get(1)).isEqualTo("write disk0 0 1024");
        assertThat(requests.get(2)).isEqualTo("write disk0 1024 1024");
        assertThat(requests.get(17)).isEqualTo("flush disk0");
        ByteBuffer written = ByteBuffer.wrap(disks.content("disk0"));
        assertThat(written.getLong(0)).isEqualTo(0);
        assertThat(written.getLong(1024 + 8)).isEqualTo(1024 + 8);
    }

    @Test
    void aMixedWorkloadFromTheOptionsStartsAtBootAndAlternates() throws Exception {
        start(FAST.withWorkloads(List.of(new DiskWorkload("cd0", DiskWorkload.Profile.MIXED, 1000, 2048))), false);
        rig.awaitBoot();
        rig.await("four requests on cd0", () -> disks.requests().stream().filter(r -> r.contains("cd0")).count() >= 4);
        List<String> cd = disks.requests().stream().filter(r -> r.contains("cd0")).toList();
        assertThat(cd.subList(0, 4)).containsExactly("read cd0 0 2048", "write cd0 2048 2048", "read cd0 4096 2048",
                "write cd0 6144 2048");
        rig.type("disk\n");
        assertThat(rig.awaitOutput("guest# ")).contains("disk0: idle", "cd0: mixed, 1000/s, 2048 bytes");
    }

    @Test
    void requestsWrapAtTheEndOfTheDisk() throws Exception {
        start(FAST.withWorkloads(List.of(new DiskWorkload("cd0", DiskWorkload.Profile.READ, 1000, 4096))), false);
        rig.awaitBoot();
        rig.await("three reads on cd0", () -> disks.requests().stream().filter(r -> r.contains("cd0")).count() >= 3);
        assertThat(disks.requests().stream().filter(r -> r.contains("cd0")).limit(3))
                .containsExactly("read cd0 0 4096", "read cd0 4096 4096", "read cd0 0 4096");
    }

    @Test
    void noDiskTrafficWhileTheVmIsStopped() throws Exception {
        start(FAST, false);
        rig.awaitBoot();
        rig.machine.stop();
        rig.awaitEvents("RESUME", "STOP");
        rig.type("disk disk0 read rate=1000/s size=512\n"); // read by the guest only after cont
        assertThat(rig.settledOutput()).isEmpty();
        assertThat(disks.requests()).containsExactly("read disk0 0 512");
        rig.machine.cont();
        rig.awaitOutput("disk0: read, 1000/s, 512 bytes\r\nguest# ");
        rig.await("a workload read", () -> disks.requests().size() > 1);
    }

    @Test
    void trayLocksAndErrorsReachTheConsole() throws Exception {
        start(FAST, false);
        rig.awaitBoot();
        rig.type("lock cd0\nunlock cd0\nlock nope\ndisk nope read\ndisk disk0 fast\ndisk disk0 read size=100\n");
        rig.awaitOutput("cd0: tray locked\r\nguest# ");
        rig.awaitOutput("cd0: tray unlocked\r\nguest# ");
        rig.awaitOutput("disk: no disk named 'nope'\r\nguest# ");
        rig.awaitOutput("disk: no disk named 'nope'\r\nguest# ");
        rig.awaitOutput("disk: unknown profile 'fast' (read, write, mixed or idle)\r\nguest# ");
        rig.awaitOutput("disk: size must be a positive multiple of 512 bytes, at most 1048576 (limit maxRequestBytes): 100");
        assertThat(disks.requests()).containsExactly("read disk0 0 512", "lock cd0", "unlock cd0");
        assertThat(rig.machine.runState()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void aFailingBootDiskIsReportedAndTheBuiltInOsBoots() throws Exception {
        disks = new RecordingDisks().with("broken", new byte[4096]);
        rig = new GuestRig(ConsoleKind.SOCKET, MachineConfig.of(MachineType.PC), FAST.withBootDelay(Duration.ZERO),
                disks, dir);
        rig.awaitOutput("jqmp firmware: broken: Input/output error\r\n"
                + "jqmp firmware: starting the built-in operating system\r\n");
        rig.awaitBoot();
    }
}
