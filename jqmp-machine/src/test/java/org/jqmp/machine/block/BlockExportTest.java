package org.jqmp.machine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jqmp.api.BlockExportRemoveMode;
import org.jqmp.api.NbdServerAddOptions;
import org.jqmp.api.SocketAddressLegacy;
import org.jqmp.api.UnixSocketAddress;
import org.jqmp.api.UnixSocketAddressWrapper;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.json.JsonEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drive's node exported over NBD through the QMP layer, used by the real qemu-io and nbdinfo: what they write
 * is what the guest reads, the node's highest written offset moves while the drive's own counters do not (the
 * export has its own backend in QEMU), and removing the export sends BLOCK_EXPORT_DELETED.
 */
class BlockExportTest {
    @TempDir
    Path dir;
    final List<String> events = new CopyOnWriteArrayList<>();
    BlockDevices devices;
    Path socket;

    @BeforeEach
    void setUp() {
        QemuImg.require();
        Path disk = dir.resolve("d.qcow2");
        QemuImg.run("qemu-img", "create", "-f", "qcow2", disk.toString(), "64M");
        devices = new BlockDevices((name, data, features) -> events.add(name + " " + JsonEncoder.encode(data, false)),
                CompatPolicy.ACCEPT_ALL, line -> { });
        devices.add(DriveConfig.disk("disk0", "/machine/unattached/device[18]", disk.toString(), null));
        socket = dir.resolve("nbd.sock");
        devices.exports().start(new SocketAddressLegacy.Unix(new UnixSocketAddressWrapper(
                new UnixSocketAddress(socket.toString(), null, null))), null, null);
    }

    @AfterEach
    void tearDown() {
        devices.close();
    }

    @Test
    void qemuIoWritesWhatTheGuestThenReads() throws InterruptedException {
        devices.exports().nbdServerAdd(new NbdServerAddOptions(null, "the disk", "disk0", true, null));
        String uri = "nbd+unix:///disk0?socket=" + socket;
        QemuImg.run("qemu-io", "-f", "raw", "-c", "write -P 0x5a 1M 64k", uri);
        byte[] expected = new byte[65536];
        Arrays.fill(expected, (byte) 0x5a);
        assertThat(devices.drive("disk0").read(1 << 20, 65536)).isEqualTo(expected);
        var stats = devices.queryBlockstats(false).getFirst().stats();
        assertThat(stats.wrHighestOffset()).isEqualTo((1 << 20) + 65536);
        assertThat(stats.wrOperations()).isZero();
        assertThat(stats.rdOperations()).isEqualTo(1); // the guest's read above, not the export's
        assertThat(devices.exports().query()).singleElement()
                .satisfies(e -> assertThat(e.id()).isEqualTo("disk0"));
        // qemu-io has exited, but the server may not have seen it leave yet: a safe removal is refused while a
        // client is connected (as in QEMU), so wait for that first
        for (int i = 0; i < 400 && devices.exports().clients("disk0") > 0; i++) {
            Thread.sleep(10);
        }
        devices.exports().remove("disk0", BlockExportRemoveMode.SAFE);
        assertThat(events).containsExactly("BLOCK_EXPORT_DELETED {\"id\": \"disk0\"}");
        assertThat(devices.exports().query()).isEmpty();
    }

    @Test
    void aSafeRemovalIsRefusedWhileAClientIsConnectedAndHardDisconnectsIt() throws Exception {
        devices.exports().nbdServerAdd(new NbdServerAddOptions(null, null, "disk0", false, null));
        try (var channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            // the fixed newstyle handshake, far enough to be a client in transmission on disk0
            java.nio.ByteBuffer greeting = java.nio.ByteBuffer.allocate(18);
            while (greeting.hasRemaining()) {
                channel.read(greeting);
            }
            java.nio.ByteBuffer go = java.nio.ByteBuffer.allocate(4 + 8 + 4 + 4 + 4 + 5 + 2);
            go.putInt(3); // client flags: fixed newstyle, no zeroes
            go.putLong(0x49484156454F5054L).putInt(7).putInt(4 + 5 + 2).putInt(5).put("disk0".getBytes())
                    .putShort((short) 0); // NBD_OPT_GO for "disk0", no info requests
            go.flip();
            while (go.hasRemaining()) {
                channel.write(go);
            }
            for (int i = 0; i < 400 && devices.exports().clients("disk0") == 0; i++) {
                Thread.sleep(10);
            }
            assertThat(devices.exports().clients("disk0")).as("the client reached transmission").isEqualTo(1);
            assertThatThrownBy(() -> devices.exports().remove("disk0", BlockExportRemoveMode.SAFE))
                    .isInstanceOf(org.jqmp.api.runtime.QmpException.class)
                    .hasMessageContaining("export 'disk0' still in use");
            devices.exports().remove("disk0", BlockExportRemoveMode.HARD);
            for (int i = 0; i < 200 && events.isEmpty(); i++) {
                Thread.sleep(25);
            }
            assertThat(events).containsExactly("BLOCK_EXPORT_DELETED {\"id\": \"disk0\"}");
        }
    }

    @Test
    void nbdinfoSeesTheExportAndItsAllocation() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/nbdinfo")), "nbdinfo is not installed (Debian: libnbd-bin)");
        devices.drive("disk0").write(2 << 20, new byte[65536]);
        byte[] data = new byte[65536];
        Arrays.fill(data, (byte) 1);
        devices.drive("disk0").write(4 << 20, data);
        devices.exports().nbdServerAdd(new NbdServerAddOptions("d", "jqmp disk", "disk0", false, null));
        String info = QemuImg.run("nbdinfo", "--json", "nbd+unix:///d?socket=" + socket);
        assertThat(info).contains("\"export-name\": \"d\"").contains("\"description\": \"jqmp disk\"")
                .contains("\"export-size\": 67108864").contains("\"is_read_only\": true");
        String map = QemuImg.run("nbdinfo", "--map", "nbd+unix:///d?socket=" + socket);
        assertThat(map).contains("data");
    }
}
