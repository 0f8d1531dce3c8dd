package org.jqmp.machine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jqmp.api.BlockDeviceInfo;
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

/**
 * blkdebug nodes in {@code query-named-block-nodes}, with the names, chains and refusals QEMU 7.2 showed for the
 * same {@code blockdev-add} requests (recorded by hand with qemu-system-x86_64 7.2.22; the path substituted).
 */
class BlkdebugNodesTest {
    @TempDir
    Path dir;
    Path image;
    BlockDevices devices;

    @BeforeEach
    void setUp() throws Exception {
        image = dir.resolve("img.raw");
        Files.write(image, new byte[1 << 20]);
        devices = new BlockDevices((n, d, f) -> { }, CompatPolicy.ACCEPT_ALL, line -> { });
    }

    @AfterEach
    void tearDown() {
        devices.close();
    }

    private void add(String json) {
        devices.blockdevAdd(BlockdevOptions.read(new QObjectInput((JsonObject) Json.parse(json.replace("$IMG",
                image.toString()).replace("$DIR", dir.toString())), CompatPolicy.ACCEPT_ALL), null));
    }

    private BlockDeviceInfo node(String name) {
        return devices.namedNodes(false).stream().filter(i -> i.nodeName().equals(name)).findFirst().orElseThrow();
    }

    private String file() {
        return "{\\\"driver\\\": \\\"file\\\", \\\"filename\\\": \\\"" + image + "\\\"}";
    }

    @Test
    void rulesGiveAJsonNameInQemusKeyOrderAndFormatsOverItFollow() {
        add("{\"driver\":\"blkdebug\",\"node-name\":\"dbg\",\"image\":{\"driver\":\"file\",\"filename\":\"$IMG\"},"
                + "\"inject-error\":[{\"event\":\"read_aio\",\"errno\":5,\"once\":true},"
                + "{\"event\":\"write_aio\",\"sector\":3}]}");
        add("{\"driver\":\"raw\",\"node-name\":\"top\",\"file\":\"dbg\"}");
        add("{\"driver\":\"blkdebug\",\"node-name\":\"dbg2\",\"image\":\"dbg\"}");
        String inner = "{\"inject-error.0.once\": true, \"image\": {\"driver\": \"file\", \"filename\": \"" + image
                + "\"}, \"driver\": \"blkdebug\", \"inject-error.0.event\": \"read_aio\", \"inject-error.0.errno\": 5, "
                + "\"inject-error.1.event\": \"write_aio\", \"inject-error.1.sector\": 3}";
        assertThat(node("dbg").file()).isEqualTo("json:" + inner);
        assertThat(node("top").file()).isEqualTo("json:{\"driver\": \"raw\", \"file\": " + inner + "}");
        assertThat(node("dbg2").file()).isEqualTo("json:{\"image\": " + inner + ", \"driver\": \"blkdebug\"}");
        BlockDeviceInfo dbg = node("dbg");
        assertThat(dbg.drv()).isEqualTo("blkdebug");
        assertThat(dbg.backingFile()).isNull();
        assertThat(dbg.backingFileDepth()).as("a filter's child counts as the chain below").isEqualTo(1);
        assertThat(dbg.image().format()).isEqualTo("blkdebug");
        assertThat(dbg.image().actualSize()).isNull();
        assertThat(dbg.image().virtualSize()).isEqualTo(1 << 20);
        assertThat(dbg.image().backingImage().filename()).isEqualTo(image.toString());
        assertThat(dbg.image().backingImage().format()).isEqualTo("file");
        assertThat(node("top").backingFileDepth()).isZero();
        assertThat(node("top").image().backingImage()).isNull();
        assertThat(node("top").image().actualSize()).isNull();
    }

    @Test
    void setStateAndIotypeKeysCollideInBucketsAsQemuOrdersThem() {
        add("{\"driver\":\"blkdebug\",\"node-name\":\"dbg\",\"image\":{\"driver\":\"file\",\"filename\":\"$IMG\"},"
                + "\"inject-error\":[{\"once\":true,\"errno\":5,\"event\":\"read_aio\"},"
                + "{\"event\":\"write_aio\",\"errno\":28,\"once\":false},"
                + "{\"event\":\"flush_to_disk\",\"iotype\":\"flush\"}],"
                + "\"set-state\":[{\"event\":\"read_aio\",\"new_state\":2},"
                + "{\"event\":\"write_aio\",\"state\":2,\"new_state\":3}]}");
        assertThat(node("dbg").file()).isEqualTo("json:{\"set-state.1.event\": \"write_aio\", \"set-state.0.event\": "
                + "\"read_aio\", \"inject-error.0.once\": true, \"inject-error.1.once\": false, \"image\": "
                + file().replace("\\\"", "\"") + ", \"set-state.1.new_state\": 3, \"driver\": \"blkdebug\", "
                + "\"set-state.1.state\": 2, \"inject-error.2.iotype\": \"flush\", \"set-state.0.new_state\": 2, "
                + "\"inject-error.0.event\": \"read_aio\", \"inject-error.0.errno\": 5, \"inject-error.1.event\": "
                + "\"write_aio\", \"inject-error.1.errno\": 28, \"inject-error.2.event\": \"flush_to_disk\"}");
    }

    @Test
    void withoutInlineOptionsTheNameIsBlkdebugConfigImage() throws Exception {
        Path conf = dir.resolve("bd.conf");
        Files.writeString(conf, "[inject-error]\nevent = \"read_aio\"\nerrno = \"28\"\n");
        for (String n : new String[] {"b", "c", "d", "e"}) { // jqmp locks at open, QEMU at attach: one file each
            Files.write(dir.resolve(n + ".raw"), new byte[4096]);
        }
        add("{\"driver\":\"blkdebug\",\"node-name\":\"a\",\"image\":{\"driver\":\"file\",\"filename\":\"$IMG\"}}");
        add("{\"driver\":\"blkdebug\",\"node-name\":\"b\",\"image\":{\"driver\":\"file\",\"filename\":\"$DIR/b.raw\"},"
                + "\"config\":\"$DIR/bd.conf\"}");
        add("{\"driver\":\"blkdebug\",\"node-name\":\"c\",\"image\":{\"driver\":\"file\",\"filename\":\"$DIR/c.raw\"},"
                + "\"config\":\"$DIR/bd.conf\",\"inject-error\":[{\"event\":\"write_aio\"}]}");
        add("{\"driver\":\"blkdebug\",\"node-name\":\"d\",\"image\":{\"driver\":\"file\",\"filename\":\"$DIR/d.raw\"},"
                + "\"align\":4096}");
        add("{\"driver\":\"blkdebug\",\"node-name\":\"e\",\"image\":{\"driver\":\"file\",\"filename\":\"$DIR/e.raw\"},"
                + "\"max-transfer\":3}");
        assertThat(node("a").file()).isEqualTo("blkdebug::" + image);
        assertThat(node("b").file()).isEqualTo("blkdebug:" + conf + ":" + dir.resolve("b.raw"));
        assertThat(node("c").file()).isEqualTo("json:{\"image\": " + file("c") + ", \"driver\": \"blkdebug\", "
                + "\"config\": \"" + conf + "\", \"inject-error.0.event\": \"write_aio\"}");
        assertThat(node("d").file()).isEqualTo("json:{\"image\": " + file("d") + ", \"driver\": \"blkdebug\", "
                + "\"align\": 4096}");
        assertThat(node("e").file()).isEqualTo("json:{\"image\": " + file("e") + ", \"max-transfer\": 3, "
                + "\"driver\": \"blkdebug\"}");
        add("{\"driver\":\"raw\",\"node-name\":\"over-a\",\"file\":\"a\"}");
        assertThat(node("over-a").file()).as("a plain-named file names its format").isEqualTo("blkdebug::" + image);
    }

    private String file(String name) {
        return "{\"driver\": \"file\", \"filename\": \"" + dir.resolve(name + ".raw") + "\"}";
    }

    @Test
    void refusesAsQemuDoesAndLeavesNoNodeBehind() {
        assertThatThrownBy(() -> add("{\"driver\":\"blkdebug\",\"node-name\":\"a\",\"image\":{\"driver\":\"file\","
                + "\"filename\":\"$IMG\"},\"align\":3}")).isInstanceOf(QmpException.class)
                .hasMessage("Cannot meet constraints with align 3");
        assertThatThrownBy(() -> add("{\"driver\":\"blkdebug\",\"node-name\":\"b\",\"image\":{\"driver\":\"file\","
                + "\"filename\":\"$IMG\"},\"config\":\"$DIR/none\"}"))
                .hasMessage("Could not read blkdebug config file: No such file or directory");
        assertThatThrownBy(() -> add("{\"driver\":\"blkdebug\",\"node-name\":\"c\",\"image\":\"nosuch\"}"))
                .hasMessage("Cannot find device='nosuch' nor node-name='nosuch'");
        assertThat(devices.namedNodes(true)).isEmpty();
    }

    private List<String> nodeNames() {
        return devices.namedNodes(false).stream().map(BlockDeviceInfo::nodeName).toList();
    }

    @Test
    void qemuListsABlkdebugNodeBeforeItsImageChild() {
        add("{\"driver\":\"blkdebug\",\"node-name\":\"dbg\",\"image\":{\"driver\":\"file\",\"filename\":\"$IMG\","
                + "\"node-name\":\"f\"}}");
        add("{\"driver\":\"raw\",\"node-name\":\"top\",\"file\":\"dbg\"}");
        assertThat(nodeNames()).as("newest first").containsExactly("top", "f", "dbg");
    }

    @Test
    void driveFileBlkdebugPrefixPutsAProbedRawOverTheFilterWithTheConfigsRules() throws Exception {
        Path conf = dir.resolve("bd.conf");
        Files.writeString(conf, "[inject-error]\nevent = \"read_aio\"\nerrno = \"28\"\niotype = \"read\"\n");
        Drive drive = devices.add(new DriveConfig("d0", null, DriveConfig.Interface.NONE, false,
                "blkdebug:" + conf + ":" + image, null, false, DriveConfig.CacheMode.WRITEBACK,
                DriveConfig.ErrorAction.ENOSPC, DriveConfig.ErrorAction.REPORT, null));
        List<BlockDeviceInfo> nodes = devices.namedNodes(false);
        assertThat(nodes).extracting(BlockDeviceInfo::drv).containsExactly("raw", "file", "blkdebug");
        assertThat(nodes).extracting(BlockDeviceInfo::file).containsExactly("blkdebug:" + conf + ":" + image,
                image.toString(), "blkdebug:" + conf + ":" + image);
        assertThat(nodes).extracting(BlockDeviceInfo::backingFileDepth).containsExactly(0L, 0L, 1L);
        assertThatThrownBy(() -> drive.read(0, 512)).hasMessage("No space left on device");
        drive.write(0, new byte[512]);
    }

    @Test
    void driveFormatBlkdebugMakesTheFilterTheDrivesNode() {
        Drive drive = devices.add(new DriveConfig("d0", null, DriveConfig.Interface.NONE, false, image.toString(),
                "blkdebug", false, DriveConfig.CacheMode.WRITEBACK, DriveConfig.ErrorAction.ENOSPC,
                DriveConfig.ErrorAction.REPORT, "dbg"));
        assertThat(nodeNames()).hasSize(2).last().isEqualTo("dbg");
        assertThat(devices.queryBlock().getFirst().inserted().drv()).isEqualTo("blkdebug");
        assertThat(devices.queryBlock().getFirst().inserted().file()).isEqualTo("blkdebug::" + image);
        assertThat(drive.read(0, 512)).hasSize(512);
    }

    @Test
    void driveBlkdebugNamesQemusRefusals() {
        assertThatThrownBy(() -> devices.add(new DriveConfig("d0", null, DriveConfig.Interface.NONE, false,
                "blkdebug:" + dir.resolve("nope.conf") + ":" + dir.resolve("nope"), null, false,
                DriveConfig.CacheMode.WRITEBACK, DriveConfig.ErrorAction.ENOSPC, DriveConfig.ErrorAction.REPORT,
                null))).hasMessage("Could not read blkdebug config file: No such file or directory");
        assertThatThrownBy(() -> devices.add(new DriveConfig("d1", null, DriveConfig.Interface.NONE, false,
                "blkdebug:" + dir.resolve("x.conf"), null, false, DriveConfig.CacheMode.WRITEBACK,
                DriveConfig.ErrorAction.ENOSPC, DriveConfig.ErrorAction.REPORT, null)))
                .hasMessage("blkdebug requires both config file and image path");
        assertThat(devices.namedNodes(true)).isEmpty();
    }

    @Test
    void driveJsonNameKeepsTheStringOptionsAsGiven() {
        Drive drive = devices.add(new DriveConfig("d0", null, DriveConfig.Interface.NONE, false, "json:{\"driver\": "
                + "\"blkdebug\", \"image\": {\"driver\": \"file\", \"filename\": \"" + image + "\"}, "
                + "\"inject-error\": [{\"event\": \"pwritev\", \"errno\": \"5\", \"once\": \"on\"}]}", null, false,
                DriveConfig.CacheMode.WRITEBACK, DriveConfig.ErrorAction.ENOSPC, DriveConfig.ErrorAction.REPORT, null));
        assertThat(devices.queryBlock().getFirst().inserted().file())
                .isEqualTo("json:{\"inject-error.0.once\": \"on\", "
                + "\"image\": " + "{\"driver\": \"file\", \"filename\": \"" + image + "\"}, \"driver\": \"blkdebug\", "
                + "\"inject-error.0.event\": \"pwritev\", \"inject-error.0.errno\": \"5\"}");
        assertThat(devices.queryBlock().getFirst().inserted().drv()).isEqualTo("blkdebug");
        assertThatThrownBy(() -> drive.write(0, new byte[512])).hasMessage("Input/output error");
        drive.write(0, new byte[512]); // once
        assertThatThrownBy(() -> devices.add(new DriveConfig("d1", null, DriveConfig.Interface.NONE, false, "json:{x",
                null, false, DriveConfig.CacheMode.WRITEBACK, DriveConfig.ErrorAction.ENOSPC,
                DriveConfig.ErrorAction.REPORT, null))).hasMessage("Could not parse the JSON options");
    }

    @Test
    void qdictBucketsAreQemusTdbHash() {
        assertThat(QemuJsonFilename.bucket("driver")).isEqualTo(239);
        assertThat(QemuJsonFilename.bucket("file")).isEqualTo(463);
        assertThat(QemuJsonFilename.bucket("image")).isEqualTo(181);
        assertThat(QemuJsonFilename.bucket("inject-error.7.errno")).isEqualTo(324);
        assertThat(QemuJsonFilename.quote("a\"b\\c\u00e9\n")).isEqualTo("\"a\\\"b\\\\c\\u00e9\\n\"");
    }
}
