package org.jqmp.machine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqmp.api.BlockDeviceStats;
import org.jqmp.api.BlockInfo;
import org.jqmp.api.BlockStats;
import org.jqmp.api.NewImageMode;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives on real images made by the real qemu-img: what query-block and query-blockstats report, that every
 * guest request is counted exactly, external snapshots (checked with {@code qemu-img info --backing-chain}),
 * and removable media with their events and QEMU's errors.
 */
class BlockDevicesTest {
    @TempDir
    Path dir;
    final List<String> events = new ArrayList<>();
    final List<String> stdout = new ArrayList<>();
    BlockDevices devices;
    Path disk;
    Path iso;

    @BeforeEach
    void setUp() {
        QemuImg.require();
        disk = dir.resolve("disk0.qcow2");
        iso = dir.resolve("cd.iso");
        QemuImg.run("qemu-img", "create", "-f", "qcow2", disk.toString(), "64M");
        QemuImg.run("qemu-img", "create", "-f", "raw", iso.toString(), "1M");
        devices = new BlockDevices((name, data, features) -> events.add(name + " " + JsonEncoder.encode(data, false)),
                CompatPolicy.ACCEPT_ALL, stdout::add);
        devices.add(DriveConfig.disk("disk0", "/machine/unattached/device[19]", disk.toString(), null));
        devices.add(DriveConfig.cdrom("cd0", "/machine/unattached/device[20]", iso.toString(), "raw"));
    }

    @AfterEach
    void tearDown() {
        if (devices != null) {
            devices.close();
        }
    }

    @Test
    void queryBlockDescribesDrivesMediaAndImages() {
        List<BlockInfo> infos = devices.queryBlock();
        assertThat(infos).extracting(BlockInfo::device).containsExactly("disk0", "cd0");
        BlockInfo d = infos.get(0), c = infos.get(1);
        assertThat(d.removable()).isFalse();
        assertThat(d.trayOpen()).isNull();
        assertThat(d.ioStatus().wireName()).isEqualTo("ok");
        assertThat(d.inserted().drv()).isEqualTo("qcow2");
        assertThat(d.inserted().ro()).isFalse();
        assertThat(d.inserted().image().virtualSize()).isEqualTo(64 << 20);
        assertThat(d.inserted().image().clusterSize()).isEqualTo(65536);
        assertThat(d.inserted().nodeName()).matches("#block1[0-9]{2}");
        assertThat(c.removable()).isTrue();
        assertThat(c.trayOpen()).isFalse();
        assertThat(c.inserted().ro()).isTrue();
        assertThat(c.inserted().drv()).isEqualTo("raw");
        assertThat(c.inserted().image().formatSpecific()).isNull();
    }

    @Test
    void everyGuestRequestIsCountedExactly() {
        Drive drive = devices.drive("disk0");
        drive.write(1 << 20, new byte[4096]);
        drive.write(3 << 20, new byte[512]);
        drive.read(0, 512);
        drive.flush();
        drive.discard(1 << 20, 65536);
        assertThatThrownBy(() -> drive.read(64 << 20, 512)).isInstanceOf(Drive.DriveIoException.class);
        BlockStats s = devices.queryBlockstats(false).get(0);
        BlockDeviceStats st = s.stats();
        assertThat(st.wrOperations()).isEqualTo(2);
        assertThat(st.wrBytes()).isEqualTo(4096 + 512);
        assertThat(st.rdOperations()).isEqualTo(1);
        assertThat(st.rdBytes()).isEqualTo(512);
        assertThat(st.flushOperations()).isEqualTo(1);
        assertThat(st.unmapOperations()).isEqualTo(1);
        assertThat(st.unmapBytes()).isEqualTo(65536);
        assertThat(st.invalidRdOperations()).isEqualTo(1);
        assertThat(st.wrHighestOffset()).isEqualTo((3 << 20) + 512);
        assertThat(st.idleTimeNs()).isNotNull();
        assertThat(st.accountInvalid()).isTrue();
        assertThat(st.accountFailed()).isTrue();
        // the file node below: no requests of its own counted, but its highest written host offset
        assertThat(s.parent().stats().wrOperations()).isZero();
        assertThat(s.parent().stats().wrHighestOffset()).isPositive();
        assertThat(s.parent().stats().accountInvalid()).isFalse();
        assertThat(devices.queryBlockstats(false).get(1).stats().idleTimeNs()).isNull();
        // the CD-ROM is read-only: a write is refused before it starts
        assertThatThrownBy(() -> devices.drive("cd0").write(0, new byte[512]))
                .isInstanceOf(Drive.DriveIoException.class);
        assertThat(devices.queryBlockstats(false).get(1).stats().invalidWrOperations()).isEqualTo(1);
        // a guest write reads back
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 0x5a);
        drive.write(8192, data);
        assertThat(drive.read(8192, 4096)).isEqualTo(data);
    }

    @Test
    void queryNodesListsEveryNodeOldestFirst() {
        List<BlockStats> nodes = devices.queryBlockstats(true);
        assertThat(nodes).hasSize(4);
        assertThat(nodes.get(0).driverSpecific()).isNotNull();
        assertThat(nodes.get(1).parent().nodeName()).isEqualTo(nodes.get(0).nodeName());
        assertThat(nodes).allSatisfy(n -> assertThat(n.device()).isNull());
        assertThat(devices.namedNodes(false)).extracting(i -> i.drv()).containsExactly("raw", "file", "qcow2", "file");
    }

    @Test
    void snapshotSyncPutsANewOverlayOnTopAndNewWritesLandThere() throws Exception {
        Drive drive = devices.drive("disk0");
        byte[] before = filled(1), after = filled(2);
        drive.write(0, before);
        Path snap = dir.resolve("snap1.qcow2");
        devices.snapshotSync("disk0", null, snap.toString(), null, "qcow2", null);
        assertThat(stdout).singleElement().asString().startsWith("Formatting '" + snap + "', fmt=qcow2");
        drive.write(0, after);
        assertThat(drive.read(0, 4096)).isEqualTo(after);
        BlockInfo info = devices.queryBlock().get(0);
        assertThat(info.inserted().file()).isEqualTo(snap.toString());
        assertThat(info.inserted().backingFile()).isEqualTo(disk.toString());
        assertThat(info.inserted().backingFileDepth()).isEqualTo(1);
        assertThat(info.inserted().image().backingImage().filename()).isEqualTo(disk.toString());
        devices.close();
        devices = null;
        String chain = QemuImg.run("qemu-img", "info", "--backing-chain", "--output=json", snap.toString());
        assertThat(chain).contains("\"backing-filename\": \"" + disk + "\"").contains("\"backing-filename-format\": \"qcow2\"");
        QemuImg.run("qemu-img", "check", snap.toString());
        // the base kept the old data, the overlay has the new
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "read -P 1 0 4096", disk.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "read -P 2 0 4096", snap.toString());
    }

    @Test
    void snapshotSyncRefusesLikeQemu() {
        devices.snapshotSync("disk0", null, dir.resolve("s2.qcow2").toString(), "snap2node", null, null);
        assertError(() -> devices.snapshotSync(null, "snap2node", dir.resolve("s3.qcow2").toString(), "snap2node",
                null, null), "New overlay node-name already in use");
        assertError(() -> devices.snapshotSync("disk0", "snap2node", dir.resolve("s4.qcow2").toString(), null, null,
                null), "New overlay node-name missing");
        assertError(() -> devices.snapshotSync("disk0", null, dir.resolve("nonexist/s5.qcow2").toString(), null, null,
                null), "Could not create '" + dir.resolve("nonexist/s5.qcow2") + "': No such file or directory");
        assertError(() -> devices.snapshotSync("disk0", null, dir.resolve("s6.qcow2").toString(), null, null,
                NewImageMode.EXISTING), "Could not open '" + dir.resolve("s6.qcow2") + "': No such file or directory");
        assertError(() -> devices.snapshotSync("nope", null, "x", null, null, null),
                "Cannot find device='nope' nor node-name=''");
        assertError(() -> devices.snapshotSync("disk0", null, dir.resolve("s7").toString(), null, "raw", null),
                "Backing file not supported for file format 'raw'");
        assertError(() -> devices.snapshotSync("disk0", null, dir.resolve("s8").toString(), null, "bogus", null),
                "Unknown file format 'bogus'");
        // the CD-ROM's overlay stays read-only, as its medium was
        devices.snapshotSync("cd0", null, dir.resolve("snapcd.qcow2").toString(), null, null, null);
        assertThat(devices.queryBlock().get(1).inserted().ro()).isTrue();
        assertThat(devices.queryBlock().get(1).inserted().drv()).isEqualTo("qcow2");
    }

    @Test
    void ejectAndChangeMediumMoveTheTrayWithEvents() throws Exception {
        Media media = devices.media();
        media.eject("cd0", null, false);
        assertThat(events).containsExactly(
                "DEVICE_TRAY_MOVED {\"device\": \"cd0\", \"tray-open\": true, \"id\": \"/machine/unattached/device[20]\"}");
        assertThat(devices.queryBlock().get(1).inserted()).isNull();
        assertThat(devices.queryBlock().get(1).trayOpen()).isTrue();
        assertError(() -> media.eject("disk0", null, false), "Device 'disk0' is not removable");
        assertThatThrownBy(() -> media.eject(null, "nope", false)).isInstanceOf(QmpException.class)
                .hasMessageContaining("Device 'nope' not found");
        assertError(() -> media.eject(null, null, false), "Need exactly one of 'device' and 'id'");
        Path iso2 = dir.resolve("cd2.iso");
        QemuImg.run("qemu-img", "create", "-f", "raw", iso2.toString(), "2M");
        events.clear();
        media.changeMedium("cd0", null, iso2.toString(), "raw", false, null);
        assertThat(events).containsExactly(
                "DEVICE_TRAY_MOVED {\"device\": \"cd0\", \"tray-open\": false, \"id\": \"/machine/unattached/device[20]\"}");
        assertThat(devices.queryBlock().get(1).inserted().image().virtualSize()).isEqualTo(2 << 20);
        events.clear();
        media.closeTray("cd0", null);
        assertThat(events).isEmpty();
        media.openTray("cd0", null, false);
        media.openTray("cd0", null, false);
        assertThat(events).hasSize(1);
        assertError(() -> media.insertMedium("/machine/unattached/device[20]", "nope"), "Node 'nope' not found");
        assertError(() -> media.insertMedium("/machine/unattached/device[20]",
                devices.queryBlock().get(1).inserted().nodeName()), "Node '"
                + devices.queryBlock().get(1).inserted().nodeName() + "' is already in use");
        media.removeMedium("/machine/unattached/device[20]");
        media.removeMedium("/machine/unattached/device[20]");
        media.closeTray("cd0", null);
        assertError(() -> media.removeMedium("/machine/unattached/device[20]"),
                "Tray of device '/machine/unattached/device[20]' is not open");
        assertThatThrownBy(() -> devices.drive("cd0").read(0, 2048)).isInstanceOf(Drive.DriveIoException.class);
    }

    @Test
    void aLockedTrayAsksTheGuestAndRefusesWithoutForce() {
        Drive cd = devices.drive("cd0");
        cd.setLocked(true);
        List<String> requests = new ArrayList<>();
        devices.onEjectRequest((drive, force) -> requests.add(drive.name() + " force=" + force));
        assertError(() -> devices.media().eject("cd0", null, false),
                "Device 'cd0' is locked and force was not specified, wait for tray to open and try again");
        assertThat(events).isEmpty();
        assertThat(requests).containsExactly("cd0 force=false");
        assertThat(devices.queryBlock().get(1).locked()).isTrue();
        devices.guestEjects("cd0"); // the guest answers: unlocks and opens
        assertThat(events).hasSize(1);
        assertThat(cd.locked()).isFalse();
        devices.media().closeTray("cd0", null);
        cd.setLocked(true);
        events.clear();
        devices.media().eject("cd0", null, true);
        assertThat(events).hasSize(1);
        assertThat(cd.locked()).isFalse();
    }

    @Test
    void aWritePastTheThresholdSendsOneEventAndTurnsItOff() {
        String node = devices.drive("disk0").medium().orElseThrow().name();
        devices.setWriteThreshold(node, 1 << 20);
        assertThat(devices.queryBlock().getFirst().inserted().writeThreshold()).isEqualTo(1 << 20);
        devices.drive("disk0").write(0, new byte[4096]);
        assertThat(events).isEmpty();
        devices.drive("disk0").write((1 << 20) - 512, new byte[4096]);
        devices.drive("disk0").write(2 << 20, new byte[4096]);
        assertThat(events).containsExactly("BLOCK_WRITE_THRESHOLD {\"node-name\": \"" + node
                + "\", \"write-threshold\": 1048576, \"amount-exceeded\": 3584}");
        assertThat(devices.queryBlock().getFirst().inserted().writeThreshold()).isZero();
        devices.resize("disk0", null, 128 << 20);
        assertThat(devices.drive("disk0").medium().orElseThrow().driver().size()).isEqualTo(128 << 20);
        assertError(() -> devices.resize("cd0", null, 2 << 20), "Permission conflict on node '"
                + devices.drive("cd0").medium().orElseThrow().name() + "': permissions 'resize' are both required by "
                + "an unnamed block device (uses node '" + devices.drive("cd0").medium().orElseThrow().name()
                + "' as 'root' child) and unshared by block device 'cd0' (uses node '"
                + devices.drive("cd0").medium().orElseThrow().name() + "' as 'root' child).");
    }

    @Test
    void mediaChangesSnapshotsAndRefusalsLeakNoFileDescriptor() throws Exception {
        Path iso2 = dir.resolve("cd2.iso");
        QemuImg.run("qemu-img", "create", "-f", "raw", iso2.toString(), "2M");
        Media media = devices.media();
        media.changeMedium("cd0", null, iso2.toString(), "raw", false, null); // warm up the classes once
        long before = openFds();
        for (int i = 0; i < 40; i++) {
            media.changeMedium("cd0", null, (i % 2 == 0 ? iso : iso2).toString(), "raw", false, null);
            assertThatThrownBy(() -> media.changeMedium("cd0", null, dir.resolve("nope.iso").toString(), "raw",
                    false, null)).isInstanceOf(QmpException.class);
            assertThatThrownBy(() -> devices.snapshotSync("disk0", null, dir.resolve("no/dir.qcow2").toString(),
                    null, null, null)).isInstanceOf(QmpException.class);
        }
        media.eject("cd0", null, false);
        assertThat(openFds()).isLessThanOrEqualTo(before);
    }

    private static long openFds() throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static void assertError(Runnable call, String desc) {
        assertThatThrownBy(call::run).isInstanceOf(QmpException.class)
                .satisfies(e -> assertThat(((QmpException) e).error().desc()).isEqualTo(desc));
    }
}
