package org.jqmp.machine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;
import org.jqmp.json.JsonEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * block-commit on a chain qemu-img and qemu-io made (base: 7 at 0 for 1 MiB; mid: 8 at 2 MiB; top: 9 at 4 MiB):
 * the events in QEMU 7.2's order, the data qemu-io then reads from the base, the chain qemu-img sees, and the
 * refusals with QEMU's texts.
 */
class CommitJobTest {
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
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "write -P 8 2M 64k", "-c", "write -z 512k 64k", mid.toString());
        QemuImg.run("qemu-img", "create", "-f", "qcow2", "-b", mid.toString(), "-F", "qcow2", top.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "write -P 9 4M 64k", top.toString());
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

    private void closeDevices() {
        devices.close();
        devices = null;
    }

    private void awaitEvent(String prefix) throws InterruptedException {
        for (int i = 0; i < 400 && events.stream().noneMatch(e -> e.startsWith(prefix)); i++) {
            Thread.sleep(25);
        }
        assertThat(events).anyMatch(e -> e.startsWith(prefix));
    }

    private static CommitJob.Arguments args(String jobId, String top, String base) {
        return new CommitJob.Arguments(jobId, "disk0", null, base, null, top, null, null, null, null);
    }

    private static byte[] filled(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static String status(String id, String status) {
        return "JOB_STATUS_CHANGE {\"status\": \"" + status + "\", \"id\": \"" + id + "\"}";
    }

    @Test
    void intermediateCommitCopiesMidIntoBaseAndTopBacksOntoBase() throws Exception {
        devices.jobs().commit(args(null, mid.toString(), null));
        awaitEvent(status("disk0", "null"));
        assertThat(events).containsExactly(status("disk0", "created"), status("disk0", "running"),
                status("disk0", "waiting"), status("disk0", "pending"),
                "BLOCK_JOB_COMPLETED {\"device\": \"disk0\", \"len\": 8388608, \"offset\": 8388608, \"speed\": 0, "
                        + "\"type\": \"commit\"}",
                status("disk0", "concluded"), status("disk0", "null"));
        assertThat(devices.queryBlock().getFirst().inserted().backingFile()).isEqualTo(base.toString());
        assertThat(devices.queryBlock().getFirst().inserted().backingFileDepth()).isEqualTo(1);
        assertThat(devices.graph().nodes()).noneMatch(n -> n.filename().equals(mid.toString()));
        Drive drive = devices.drive("disk0");
        assertThat(drive.read(0, 4096)).isEqualTo(filled(7, 4096));
        assertThat(drive.read(512 << 10, 4096)).isEqualTo(filled(0, 4096));
        assertThat(drive.read(2 << 20, 4096)).isEqualTo(filled(8, 4096));
        drive.write(6 << 20, filled(5, 4096));
        closeDevices();
        QemuImg.run("qemu-img", "check", base.toString());
        QemuImg.run("qemu-img", "check", top.toString());
        String chain = QemuImg.run("qemu-img", "info", "--backing-chain", top.toString());
        assertThat(chain).contains("backing file: " + base).doesNotContain(mid.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 7 0 512k", "-c", "read -P 0 512k 64k",
                "-c", "read -P 8 2M 64k", "-c", "read -P 0 4M 64k", base.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 9 4M 64k", "-c", "read -P 5 6M 4k",
                "-c", "read -P 8 2M 64k", top.toString());
    }

    @Test
    void backingFileArgumentIsWhatTheHeaderNames() throws Exception {
        devices.jobs().commit(new CommitJob.Arguments("c1", "disk0", null, null, null, mid.toString(), "base.qcow2",
                null, null, false));
        awaitEvent(status("c1", "concluded"));
        assertThat(devices.jobs().jobs()).singleElement().satisfies(j -> assertThat(j.status().wireName())
                .isEqualTo("concluded"));
        devices.jobs().dismiss("c1", false);
        closeDevices();
        assertThat(QemuImg.run("qemu-img", "info", top.toString())).contains("backing file: base.qcow2 (actual path");
        QemuImg.run("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 8 2M 64k", "-c", "read -P 7 0 512k",
                top.toString());
    }

    @Test
    void activeCommitGoesReadyCarriesLaterWritesAndPivotsOnComplete() throws Exception {
        devices.jobs().commit(args(null, null, null));
        awaitEvent("BLOCK_JOB_READY");
        assertThat(events).containsExactly(status("disk0", "created"), status("disk0", "running"),
                status("disk0", "ready"), "BLOCK_JOB_READY {\"device\": \"disk0\", \"len\": 196608, \"offset\": "
                        + "196608, \"speed\": 0, \"type\": \"commit\"}");
        assertThat(devices.jobs().blockJobs()).singleElement().satisfies(j -> {
            assertThat(j.ready()).isTrue();
            assertThat(j.type()).isEqualTo("commit");
        });
        Drive drive = devices.drive("disk0");
        drive.write(7 << 20, filled(3, 65536)); // while ready: must reach the base too
        assertThatThrownBy(() -> devices.jobs().dismiss("disk0", false)).hasMessage(
                "Job 'disk0' in state 'ready' cannot accept command verb 'dismiss'");
        devices.jobs().complete("disk0", true);
        awaitEvent(status("disk0", "null"));
        assertThat(events.subList(4, events.size())).containsExactly(status("disk0", "waiting"),
                status("disk0", "pending"), "BLOCK_JOB_COMPLETED {\"device\": \"disk0\", \"len\": 196608, \"offset\": "
                        + "196608, \"speed\": 0, \"type\": \"commit\"}", status("disk0", "concluded"),
                status("disk0", "null"));
        assertThat(devices.queryBlock().getFirst().inserted().file()).isEqualTo(base.toString());
        assertThat(devices.queryBlock().getFirst().inserted().backingFileDepth()).isZero();
        drive.write(6 << 20, filled(4, 4096)); // after the pivot: into the base
        closeDevices();
        QemuImg.run("qemu-img", "check", base.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 7 0 512k", "-c", "read -P 0 512k 64k",
                "-c", "read -P 8 2M 64k", "-c", "read -P 9 4M 64k", "-c", "read -P 3 7M 64k",
                "-c", "read -P 4 6M 4k", base.toString());
    }

    @Test
    void guestWritesDuringCompleteAreNeverLost() throws Exception {
        devices.jobs().commit(args(null, null, null));
        awaitEvent("BLOCK_JOB_READY");
        Drive drive = devices.drive("disk0");
        // two guest writers keep writing 4 KiB blocks, each with its own pattern, across the pivot; a write that
        // returned must be in the image the drive has afterwards (the base), whichever side of the pivot it hit
        int blocks = 256;
        byte[][] last = new byte[2 * blocks][];
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            writers.add(Thread.ofPlatform().start(() -> {
                // each writer stops once it sees the drive on the base: every slot's last write then went to
                // the active layer (carried by the final copy, or lost) or is the one write that met the pivot
                Node active = drive.medium().orElseThrow();
                for (int round = 1; !stop.get() && drive.medium().orElseThrow() == active; round++) {
                    for (int b = 0; b < blocks && !stop.get() && drive.medium().orElseThrow() == active; b++) {
                        int slot = writer * blocks + b;
                        byte[] data = filled(round % 250 + 1, 4096);
                        drive.write(5L * (1 << 20) + slot * 4096L, data);
                        last[slot] = data;
                    }
                }
            }));
        }
        Thread.sleep(50);
        devices.jobs().complete("disk0", true);
        awaitEvent(status("disk0", "null"));
        Thread.sleep(50);
        stop.set(true);
        for (Thread t : writers) {
            t.join();
        }
        assertThat(devices.queryBlock().getFirst().inserted().file()).isEqualTo(base.toString());
        closeDevices();
        try (BlockNode image = BlockImages.open(base, OpenOptions.readOnlyOptions())) {
            for (int slot = 0; slot < last.length; slot++) {
                if (last[slot] != null) {
                    byte[] got = new byte[4096];
                    image.read(5L * (1 << 20) + slot * 4096L, got, 0, got.length);
                    assertThat(got).as("block %d", slot).isEqualTo(last[slot]);
                }
            }
        }
    }

    @Test
    void cancellingAReadyCommitLeavesTheChainAndSendsCompleted() throws Exception {
        devices.jobs().commit(args("j1", null, mid.toString()));
        awaitEvent("BLOCK_JOB_READY");
        // the base is open read-write now, with QEMU's lock bytes: another process cannot even read it unshared
        assertThatThrownBy(() -> QemuImg.run("qemu-io", "-f", "qcow2", "-r", "-c", "read 0 4k", mid.toString()))
                .hasMessageContaining("Failed to get shared \"write\" lock");
        devices.jobs().cancel("j1", true);
        awaitEvent(status("j1", "null"));
        assertThat(events).containsExactly(status("j1", "created"), status("j1", "running"),
                status("j1", "ready"), "BLOCK_JOB_READY {\"device\": \"j1\", \"len\": 65536, \"offset\": 65536, "
                        + "\"speed\": 0, \"type\": \"commit\"}", status("j1", "waiting"), status("j1", "pending"),
                "BLOCK_JOB_COMPLETED {\"device\": \"j1\", \"len\": 65536, \"offset\": 65536, \"speed\": 0, "
                        + "\"type\": \"commit\"}", status("j1", "concluded"), status("j1", "null"));
        assertThat(devices.queryBlock().getFirst().inserted().file()).isEqualTo(top.toString());
        assertThat(devices.queryBlock().getFirst().inserted().backingFileDepth()).isEqualTo(2);
        Node midNode = devices.drive("disk0").medium().orElseThrow().backing().orElseThrow();
        assertThat(midNode.driver().isReadOnly()).as("mid back to read-only").isTrue();
        QemuImg.run("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 8 2M 64k", mid.toString()); // readers welcome again
        closeDevices();
        String chain = QemuImg.run("qemu-img", "info", "--backing-chain", top.toString());
        assertThat(chain).contains(mid.getFileName().toString()).contains(base.getFileName().toString());
        QemuImg.run("qemu-img", "check", mid.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 9 4M 64k", "-c", "read -P 8 2M 64k", mid.toString());
    }

    @Test
    void intermediateThenActiveCommit() throws Exception {
        devices.jobs().commit(args(null, mid.toString(), null));
        awaitEvent(status("disk0", "null"));
        events.clear();
        devices.jobs().commit(args("j1", null, null));
        awaitEvent("BLOCK_JOB_READY");
        devices.jobs().complete("j1", true);
        awaitEvent(status("j1", "null"));
        assertThat(devices.queryBlock().getFirst().inserted().file()).isEqualTo(base.toString());
        closeDevices();
        QemuImg.run("qemu-img", "check", base.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 7 0 512k", "-c", "read -P 8 2M 64k",
                "-c", "read -P 9 4M 64k", base.toString());
    }

    @Test
    void refusalsWithQemuTexts() {
        assertThatThrownBy(() -> devices.jobs().commit(new CommitJob.Arguments(null, "nope", null, null, null, null,
                null, null, null, null))).isInstanceOf(QmpException.class).hasMessage("Device 'nope' not found");
        assertThatThrownBy(() -> devices.jobs().commit(args(null, dir + "/nope.qcow2", null)))
                .hasMessage("Top image file " + dir + "/nope.qcow2 not found");
        assertThatThrownBy(() -> devices.jobs().commit(args(null, null, dir + "/nope.qcow2")))
                .hasMessage("Can't find '" + dir + "/nope.qcow2' in the backing chain");
        assertThatThrownBy(() -> devices.jobs().commit(args(null, base.toString(), null)))
                .hasMessage("cannot commit an image into itself");
        assertThatThrownBy(() -> devices.jobs().commit(args(null, mid.toString(), mid.toString())))
                .hasMessage("Can't find '" + mid + "' in the backing chain");
        assertThatThrownBy(() -> devices.jobs().commit(new CommitJob.Arguments(null, "disk0", "x", base.toString(),
                null, null, null, null, null, null))).hasMessage("'base-node' and 'base' are mutually exclusive");
        assertThatThrownBy(() -> devices.jobs().commit(new CommitJob.Arguments(null, "disk0", null, null, "x",
                mid.toString(), null, null, null, null))).hasMessage("'top-node' and 'top' are mutually exclusive");
        assertThatThrownBy(() -> devices.jobs().commit(new CommitJob.Arguments(null, "disk0", "nope", null, null,
                null, null, null, null, null))).hasMessage("Cannot find device='' nor node-name='nope'");
        assertThatThrownBy(() -> devices.jobs().commit(new CommitJob.Arguments(null, "disk0", null, null, null,
                null, "x.qcow2", null, null, null)))
                .hasMessage("'backing-file' specified, but 'top' is the active layer");
        assertThatThrownBy(() -> devices.jobs().commit(args("bad id", null, null))).hasMessage("Invalid job ID 'bad id'");
        assertThatThrownBy(() -> devices.jobs().commit(new CommitJob.Arguments(null, "disk0", null, null, null,
                null, null, -1L, null, null))).hasMessage("Parameter 'speed' expects a non-negative value");
        assertThat(events).containsExactly(status("disk0", "created"), status("disk0", "null"));
        assertThat(devices.jobs().blockJobs()).isEmpty();
    }

    @Test
    void oneIdSpaceForStreamAndCommit() throws Exception {
        devices.jobs().commit(args("j1", null, null));
        awaitEvent("BLOCK_JOB_READY");
        assertThatThrownBy(() -> devices.jobs().stream("j1", "disk0", null, null, null, null))
                .hasMessage("Node 'disk0' is busy: block device is in use by block job: commit");
        assertThatThrownBy(() -> devices.jobs().commit(args(null, null, null))).hasMessage("Need a root block node");
        assertThat(devices.jobs().jobs()).singleElement().satisfies(j -> assertThat(j.type().wireName())
                .isEqualTo("commit"));
        devices.jobs().pause("j1", true);
        devices.jobs().complete("j1", true); // accepted in standby (QEMU 7.2): it completes once resumed
        Thread.sleep(100);
        assertThat(devices.jobs().blockJobs()).singleElement().satisfies(j -> assertThat(j.paused()).isTrue());
        assertThat(events.subList(4, events.size())).containsExactly(status("j1", "standby"));
        devices.jobs().resume("j1", false);
        assertThatThrownBy(() -> devices.jobs().resume("j1", false))
                .hasMessageMatching("Can't resume a job that was not paused|Job not found");
        awaitEvent(status("j1", "null"));
        assertThat(events.subList(4, 7)).containsExactly(status("j1", "standby"), status("j1", "ready"),
                status("j1", "waiting"));
        assertThat(devices.queryBlock().getFirst().inserted().file()).isEqualTo(base.toString());
    }
}
