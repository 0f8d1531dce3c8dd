package org.jqmp.machine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.api.BlockdevOptions;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.api.runtime.QmpException;
import org.jqmp.json.Json;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** blockdev-add / blockdev-del on real images, with the answers QEMU 7.2 gave to the same requests. */
class BlockdevAddTest {
    @TempDir
    Path dir;
    BlockDevices devices;
    Path disk;
    Path iso;

    @BeforeEach
    void setUp() {
        QemuImg.require();
        disk = dir.resolve("d.qcow2");
        iso = dir.resolve("cd.iso");
        QemuImg.run("qemu-img", "create", "-f", "qcow2", disk.toString(), "64M");
        QemuImg.run("qemu-img", "create", "-f", "raw", iso.toString(), "1M");
        devices = new BlockDevices((n, d, f) -> { }, CompatPolicy.ACCEPT_ALL, line -> { });
        // read-only: jqmp locks a node when it opens it, QEMU only once a user attaches, so two writers would clash
        devices.add(new DriveConfig("nn", null, DriveConfig.Interface.NONE, false, iso.toString(), "raw", true,
                DriveConfig.CacheMode.WRITEBACK, DriveConfig.ErrorAction.ENOSPC, DriveConfig.ErrorAction.REPORT, null));
    }

    @AfterEach
    void tearDown() {
        devices.close();
    }

    private void add(String json) {
        JsonObject args = (JsonObject) Json.parse(json.replace("$DISK", disk.toString()).replace("$ISO", iso.toString())
                .replace("$DIR", dir.toString()));
        QObjectInput in = new QObjectInput(args, CompatPolicy.ACCEPT_ALL);
        devices.blockdevAdd(BlockdevOptions.read(in, null));
    }

    private void refused(Runnable call, String desc) {
        assertThatThrownBy(call::run).isInstanceOf(QmpException.class)
                .satisfies(e -> assertThat(((QmpException) e).error().desc()).isEqualTo(desc));
    }

    @Test
    void nodesByDefinitionAndByReferenceWithQemusRefusals() {
        refused(() -> add("{\"driver\":\"file\",\"filename\":\"$DISK\"}"),
                "'node-name' must be specified for the root node");
        add("{\"driver\":\"file\",\"filename\":\"$DISK\",\"node-name\":\"f0\"}");
        add("{\"driver\":\"qcow2\",\"file\":\"f0\",\"node-name\":\"q0\"}");
        refused(() -> add("{\"driver\":\"qcow2\",\"file\":\"nope\",\"node-name\":\"q1\"}"),
                "Cannot find device='nope' nor node-name='nope'");
        refused(() -> add("{\"driver\":\"qcow2\",\"file\":{\"driver\":\"file\",\"filename\":\"$DIR/nope\"},"
                + "\"node-name\":\"q2\"}"), "Could not open '" + dir + "/nope': No such file or directory");
        refused(() -> add("{\"driver\":\"file\",\"filename\":\"$ISO\",\"node-name\":\"q0\"}"),
                "Duplicate nodes with node-name='q0'");
        refused(() -> add("{\"driver\":\"file\",\"filename\":\"$ISO\",\"node-name\":\"nn\"}"),
                "node-name=nn is conflicting with a device id");
        add("{\"driver\":\"raw\",\"file\":{\"driver\":\"file\",\"filename\":\"$ISO\"},\"node-name\":\"r2\","
                + "\"read-only\":true}");
        List<String> names = new ArrayList<>();
        devices.namedNodes(true).forEach(i -> names.add(i.nodeName()));
        assertThat(names).contains("f0", "q0", "r2");
        assertThat(devices.namedNodes(true).stream().filter(i -> i.nodeName().equals("q0")).findFirst().orElseThrow()
                .drv()).isEqualTo("qcow2");
        refused(() -> devices.blockdevDel("f0"), "Block device f0 is in use");
        refused(() -> devices.blockdevDel("nope"), "Failed to find node with node-name='nope'");
        devices.blockdevDel("q0");
        devices.blockdevDel("f0");
        devices.blockdevDel("r2");
        refused(() -> devices.blockdevDel("r2"), "Failed to find node with node-name='r2'");
        assertThat(devices.namedNodes(true)).extracting(i -> i.drv()).containsExactly("raw", "file");
    }

    @Test
    void anAddedNodeBecomesAMediumAndOutlivesItsEjection() {
        add("{\"driver\":\"raw\",\"file\":{\"driver\":\"file\",\"filename\":\"$ISO\"},\"node-name\":\"r2\","
                + "\"read-only\":true}");
        Drive drive = devices.drive("nn");
        devices.media().eject("nn", null, false);
        assertThat(drive.medium()).isEmpty();
        // QEMU finds the medium commands' id among device models: a bare backend has none
        refused(() -> devices.media().insertMedium("nn", "r2"), "Device 'nn' not found");
        refused(() -> devices.blockdevDel("#block000"), "Failed to find node with node-name='#block000'");
        devices.blockdevDel("r2");
    }
}
