package org.jqmp.machine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.JsonEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * block-stream on a chain qemu-img and qemu-io made (base with data at 0, mid with data at 2 MiB, top): the job's
 * events in QEMU 7.2's order, the data still reading the same, the chain qemu-img then sees, and the refusals.
 */
class StreamJobTest {
    @TempDir
    Path dir;
    final List<String> events = new CopyOnWriteArrayList<>();
    BlockDevices devices;
    Path base;
    Path mid;
    Path top;

    @BeforeEach
    void setUp() {
        QemuImg.require();
        base = dir.resolve("base.qcow2");
        mid = dir.resolve("mid.qcow2");
        top = dir.resolve("top.qcow2");
        QemuImg.run("qemu-img", "create", "-f", "qcow2", base.toString(), "8M");
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "write -P 7 0 1M", base.toString());
        QemuImg.run("qemu-img", "create", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", mid.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "write -P 8 2M 64k", mid.toString());
        QemuImg.run("qemu-img", "create", "-f", "qcow2", "-b", mid.toString(), "-F", "qcow2", top.toString());
        devices = new BlockDevices((name, data, f) -> events.add(name + " " + JsonEncoder.encode(data, false)),
                CompatPolicy.ACCEPT_ALL, line -> { });
        devices.add(DriveConfig.disk("disk0", "/machine/unattached/device[18]", top.toString(), null));
    }

    @AfterEach
    void tearDown() {
        if (devices != null) {
            devices.close();
        }
    }

    private void awaitEvent(String prefix) throws InterruptedException {
        for (int i = 0; i < 400 && events.stream().noneMatch(e -> e.startsWith(prefix)); i++) {
            Thread.sleep(25);
        }
        assertThat(events).anyMatch(e -> e.startsWith(prefix));
    }

    private static byte[] filled(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void streamingTheWholeChainLeavesAStandaloneImage() throws Exception {
        devices.jobs().stream(null, "disk0", null, null, null, null);
        awaitEvent("JOB_STATUS_CHANGE {\"status\": \"null\"");
        assertThat(events).containsExactly(
                "JOB_STATUS_CHANGE {\"status\": \"created\", \"id\": \"disk0\"}",
                "JOB_STATUS_CHANGE {\"status\": \"running\", \"id\": \"disk0\"}",
                "JOB_STATUS_CHANGE {\"status\": \"waiting\", \"id\": \"disk0\"}",
                "JOB_STATUS_CHANGE {\"status\": \"pending\", \"id\": \"disk0\"}",
                "BLOCK_JOB_COMPLETED {\"device\": \"disk0\", \"len\": 8388608, \"offset\": 8388608, \"speed\": 0, "
                        + "\"type\": \"stream\"}",
                "JOB_STATUS_CHANGE {\"status\": \"concluded\", \"id\": \"disk0\"}",
                "JOB_STATUS_CHANGE {\"status\": \"null\", \"id\": \"disk0\"}");
        assertThat(devices.jobs().blockJobs()).isEmpty();
        Drive drive = devices.drive("disk0");
        assertThat(drive.read(0, 4096)).isEqualTo(filled(7, 4096));
        assertThat(drive.read(2 << 20, 4096)).isEqualTo(filled(8, 4096));
        assertThat(devices.queryBlock().getFirst().inserted().backingFileDepth()).isZero();
        assertThat(devices.queryBlock().getFirst().inserted().backingFile()).isNull();
        devices.close();
        devices = null;
        QemuImg.run("qemu-img", "check", top.toString());
        assertThat(QemuImg.run("qemu-img", "info", top.toString())).doesNotContain("backing file");
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "read -P 7 0 1M", "-c", "read -P 8 2M 64k", top.toString());
    }

    @Test
    void streamingDownToABaseKeepsTheBase() throws Exception {
        devices.jobs().stream("j1", "disk0", base.toString(), null, null, false);
        awaitEvent("JOB_STATUS_CHANGE {\"status\": \"concluded\"");
        assertThat(devices.jobs().jobs()).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo("j1");
            assertThat(j.status().wireName()).isEqualTo("concluded");
        });
        assertThatThrownBy(() -> devices.jobs().stream("j1", "disk0", null, null, null, null))
                .isInstanceOf(QmpException.class).hasMessageContaining("Job ID 'j1' already in use");
        devices.jobs().dismiss("j1", false);
        assertThat(events.getLast()).isEqualTo("JOB_STATUS_CHANGE {\"status\": \"null\", \"id\": \"j1\"}");
        assertThat(devices.queryBlock().getFirst().inserted().backingFile()).isEqualTo(base.toString());
        assertThat(devices.queryBlock().getFirst().inserted().backingFileDepth()).isEqualTo(1);
        assertThat(devices.drive("disk0").read(2 << 20, 4096)).isEqualTo(filled(8, 4096));
        devices.close();
        devices = null;
        String chain = QemuImg.run("qemu-img", "info", "--backing-chain", top.toString());
        assertThat(chain).contains("backing file: " + base).doesNotContain(mid.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "read -P 7 0 1M", "-c", "read -P 8 2M 64k", top.toString());
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> devices.jobs().stream(null, "nope", null, null, null, null))
                .hasMessageContaining("Cannot find device='nope' nor node-name='nope'");
        assertThatThrownBy(() -> devices.jobs().cancel("nope", true)).hasMessageContaining("Block job 'nope' not found");
        assertThatThrownBy(() -> devices.jobs().dismiss("nope", false)).hasMessageContaining("Job not found");
        assertThatThrownBy(() -> devices.jobs().stream(null, "disk0", "/no/such.qcow2", null, null, null))
                .hasMessageContaining("Can't find '/no/such.qcow2' in the backing chain");
    }
}
