package org.jqmp.machine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jqmp.api.BlockdevOptions;
import org.jqmp.api.TransactionAction;
import org.jqmp.api.TransactionProperties;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.Json;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transaction and blockdev-snapshot with the answers QEMU 7.2 gave to the same requests: all actions or none,
 * the Abort action, completion-mode=grouped refused, an overlay from blockdev-add put on top of a drive.
 */
class SnapshotTransactionTest {
    @TempDir
    Path dir;
    BlockDevices devices;
    Path disk;

    @BeforeEach
    void setUp() {
        QemuImg.require();
        disk = dir.resolve("d.qcow2");
        QemuImg.run("qemu-img", "create", "-f", "qcow2", disk.toString(), "64M");
        QemuImg.run("qemu-img", "create", "-f", "raw", dir.resolve("cd.iso").toString(), "1M");
        devices = new BlockDevices((n, d, f) -> { }, CompatPolicy.ACCEPT_ALL, line -> { });
        devices.add(DriveConfig.disk("disk0", "/machine/unattached/device[18]", disk.toString(), null));
        devices.add(DriveConfig.cdrom("cd0", "/machine/unattached/device[19]", dir.resolve("cd.iso").toString(),
                "raw"));
    }

    @AfterEach
    void tearDown() {
        if (devices != null) {
            devices.close();
        }
    }

    private void transaction(String actions, String properties) {
        String json = "{\"actions\":" + actions.replace("$DIR", dir.toString()) + (properties == null ? ""
                : ",\"properties\":" + properties) + "}";
        QObjectInput in = new QObjectInput(Json.parse(json), CompatPolicy.ACCEPT_ALL);
        in.startStruct(null);
        in.startList("actions");
        List<TransactionAction> list = new java.util.ArrayList<>();
        while (in.hasNextElement()) {
            list.add(TransactionAction.read(in, null));
        }
        in.endList();
        TransactionProperties props = in.optional("properties") ? TransactionProperties.read(in, "properties") : null;
        in.endStruct();
        devices.transaction(list, props);
    }

    private String top(String device) {
        return devices.drive(device).medium().orElseThrow().filename();
    }

    private static void refused(Runnable call, String desc) {
        assertThatThrownBy(call::run).isInstanceOf(QmpException.class)
                .satisfies(e -> assertThat(((QmpException) e).error().desc()).isEqualTo(desc));
    }

    @Test
    void allOrNothing() {
        refused(() -> transaction("[{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":\"disk0\","
                + "\"snapshot-file\":\"$DIR/t1.qcow2\"}},{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":"
                + "\"nope\",\"snapshot-file\":\"$DIR/t2.qcow2\"}}]", null), "Cannot find device='nope' nor node-name=''");
        assertThat(top("disk0")).isEqualTo(disk.toString());
        assertThat(dir.resolve("t1.qcow2")).exists(); // created by the first action, as QEMU leaves it
        refused(() -> transaction("[{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":\"disk0\","
                + "\"snapshot-file\":\"$DIR/t3.qcow2\"}},{\"type\":\"abort\",\"data\":{}}]", null),
                "Transaction aborted using Abort action");
        assertThat(top("disk0")).isEqualTo(disk.toString());
        transaction("[]", null);
        refused(() -> transaction("[{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":\"disk0\","
                + "\"snapshot-file\":\"$DIR/t4.qcow2\"}}]", "{\"completion-mode\":\"grouped\"}"),
                "Action 'blockdev-snapshot-sync' does not support Transaction property completion-mode = grouped");
        transaction("[{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":\"disk0\",\"snapshot-file\":"
                + "\"$DIR/t5.qcow2\"}},{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":\"cd0\","
                + "\"snapshot-file\":\"$DIR/t6.qcow2\"}}]", null);
        assertThat(top("disk0")).isEqualTo(dir.resolve("t5.qcow2").toString());
        assertThat(top("cd0")).isEqualTo(dir.resolve("t6.qcow2").toString());
        assertThat(devices.queryBlock().get(1).inserted().ro()).isTrue();
    }

    @Test
    void blockdevSnapshotPutsAnAddedOverlayOnTop() throws Exception {
        Path ov = dir.resolve("ov1.qcow2");
        QemuImg.run("qemu-img", "create", "-f", "qcow2", "-b", disk.toString(), "-F", "qcow2", ov.toString());
        byte[] old = new byte[4096];
        Arrays.fill(old, (byte) 3);
        devices.drive("disk0").write(0, old);
        JsonObject add = (JsonObject) Json.parse("{\"driver\":\"qcow2\",\"node-name\":\"ov\",\"file\":{\"driver\":"
                + "\"file\",\"filename\":\"" + ov + "\"},\"backing\":null}");
        devices.blockdevAdd(BlockdevOptions.read(new QObjectInput(add, CompatPolicy.ACCEPT_ALL), null));
        refused(() -> devices.snapshot("nope", "ov"), "Cannot find device='nope' nor node-name='nope'");
        refused(() -> devices.snapshot("disk0", "nope"), "Cannot find device='nope' nor node-name='nope'");
        devices.snapshot("disk0", "ov");
        refused(() -> devices.snapshot("disk0", "ov"), "The overlay is already in use");
        assertThat(top("disk0")).isEqualTo(ov.toString());
        var inserted = devices.queryBlock().getFirst().inserted();
        assertThat(inserted.nodeName()).isEqualTo("ov");
        assertThat(inserted.backingFileDepth()).isEqualTo(1);
        assertThat(inserted.image().backingImage().filename()).isEqualTo(disk.toString());
        // reads fall through to the old top; new writes land in the overlay
        assertThat(devices.drive("disk0").read(0, 4096)).isEqualTo(old);
        byte[] fresh = new byte[4096];
        Arrays.fill(fresh, (byte) 9);
        devices.drive("disk0").write(0, fresh);
        devices.close();
        devices = null;
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "read -P 3 0 4096", disk.toString());
        QemuImg.run("qemu-io", "-f", "qcow2", "-c", "read -P 9 0 4096", ov.toString());
        assertThat(Files.exists(ov)).isTrue();
    }

    private void add(String json) {
        JsonObject add = (JsonObject) Json.parse(json.replace("$DIR", dir.toString()));
        devices.blockdevAdd(BlockdevOptions.read(new QObjectInput(add, CompatPolicy.ACCEPT_ALL), null));
    }

    /** QEMU 7.2's answers, in its order of checks (external_snapshot_action, then bdrv_append). */
    @Test
    void blockdevSnapshotChecksInQemusOrder() {
        for (String name : List.of("ov", "ov2", "ex")) {
            QemuImg.run("qemu-img", "create", "-f", "qcow2", dir.resolve(name + ".qcow2").toString(), "16M");
        }
        add("{\"driver\":\"qcow2\",\"node-name\":\"ov\",\"file\":{\"driver\":\"file\",\"filename\":"
                + "\"$DIR/ov.qcow2\"},\"backing\":null}");
        add("{\"driver\":\"qcow2\",\"node-name\":\"ov2\",\"file\":{\"driver\":\"file\",\"filename\":"
                + "\"$DIR/ov2.qcow2\"}}");
        add("{\"driver\":\"qcow2\",\"node-name\":\"ex\",\"file\":{\"driver\":\"file\",\"filename\":"
                + "\"$DIR/ex.qcow2\"}}");
        refused(() -> devices.snapshot("ex", "ex"), "Making 'ex' a backing child of 'ex' would create a cycle");
        refused(() -> devices.snapshot("ex", "disk0"), "The overlay is already in use");
        refused(() -> devices.snapshot("ex", "cd0"), "The overlay is already in use");
        devices.snapshot("ex", "ov2");
        refused(() -> devices.snapshot("ex", "ov"), "Node 'ex' is busy: node is used as backing hd of 'ov2'");
        devices.snapshot("ov", "ex");
        assertThat(devices.namedNodes(true)).hasSize(10);
        assertThat(devices.graph().lookup("ov2").filename()).contains("ov.qcow2");
        assertThat(devices.graph().lookup("ex").filename()).startsWith("json:{\"backing\": {\"driver\": \"qcow2\"");
    }
}
