package org.jqmp.machine.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jqmp.api.BlockDeviceIoStatus;
import org.jqmp.api.BlockdevOptions;
import org.jqmp.api.RunState;
import org.jqmp.api.runtime.CompatPolicy;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.json.Json;
import org.jqmp.json.JsonEncoder;
import org.jqmp.json.JsonObject;
import org.jqmp.machine.Machine;
import org.jqmp.machine.MachineConfig;
import org.jqmp.machine.MachineType;
import org.jqmp.machine.block.DriveConfig.ErrorAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * werror/rerror on errors a blkdebug node injects ({@code -blockdev driver=blkdebug,...} under a raw node, an IDE
 * disk on top, as QEMU 7.2 stacks them): read errors, EIO under werror=enospc, ignore, and stop with {@code cont}
 * retrying. QEMU sets the I/O status only when it stops ({@code blk_error_action}); the event's {@code nospace}
 * is there only while the I/O status is enabled.
 */
class BlkdebugErrorPolicyTest {
    @TempDir
    Path dir;
    Path image;
    final List<String> events = new CopyOnWriteArrayList<>();
    BlockDevices devices;
    Machine machine;

    @BeforeEach
    void machine() throws Exception {
        image = dir.resolve("disk.raw");
        byte[] content = new byte[1 << 20];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i / 512);
        }
        Files.write(image, content);
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
    void close() {
        devices.close();
    }

    /** A blkdebug node with {@code rules} over the image, a raw node "top" over it, an IDE disk on "top". */
    private Drive disk(ErrorAction werror, ErrorAction rerror, String rules) {
        add("{\"driver\":\"blkdebug\",\"node-name\":\"dbg\",\"image\":{\"driver\":\"file\",\"filename\":\""
                + image + "\"},\"inject-error\":" + rules + "}");
        add("{\"driver\":\"raw\",\"node-name\":\"top\",\"file\":\"dbg\"}");
        return devices.attach(new DriveConfig("", "disk0", DriveConfig.Interface.IDE, false, null, null, false,
                DriveConfig.CacheMode.WRITEBACK, werror, rerror, null), "top");
    }

    private void add(String json) {
        devices.blockdevAdd(BlockdevOptions.read(new QObjectInput((JsonObject) Json.parse(json),
                CompatPolicy.ACCEPT_ALL), null));
    }

    private static String ioError(String operation, String action, Boolean nospace, String reason) {
        return "BLOCK_IO_ERROR {\"device\": \"\", " + (nospace == null ? "" : "\"nospace\": " + nospace + ", ")
                + "\"node-name\": \"top\", \"reason\": \"" + reason + "\", \"operation\": \"" + operation
                + "\", \"action\": \"" + action + "\"}";
    }

    /** Waits (not a timing assertion: the bound only keeps a broken build from hanging) for the machine to stop. */
    private void awaitIoErrorStop() throws InterruptedException {
        for (int i = 0; i < 1000 && machine.runState() != RunState.IO_ERROR; i++) {
            Thread.sleep(10);
        }
        assertThat(machine.runState()).isEqualTo(RunState.IO_ERROR);
    }

    private static byte[] sectorOf(int value) {
        byte[] b = new byte[512];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void rerrorReportFailsTheReadWithEioAndKeepsRunning() {
        Drive drive = disk(ErrorAction.ENOSPC, ErrorAction.REPORT, "[{\"event\":\"read_aio\",\"iotype\":\"read\"}]");
        assertThatThrownBy(() -> drive.read(0, 512)).isInstanceOf(Drive.DriveIoException.class)
                .hasMessage("Input/output error")
                .satisfies(e -> assertThat(((Drive.DriveIoException) e).failed()).isTrue());
        assertThat(events).containsExactly(ioError("read", "report", false, "Input/output error"));
        assertThat(machine.runState()).isEqualTo(RunState.RUNNING);
        assertThat(drive.ioStatus()).as("only a stop sets the I/O status").isEqualTo(BlockDeviceIoStatus.OK);
        assertThat(devices.queryBlock().getFirst().ioStatus()).isEqualTo(BlockDeviceIoStatus.OK);
        drive.write(512, sectorOf(9)); // iotype=read: writes pass
        assertThat(devices.queryBlockstats(false).getFirst().stats().failedRdOperations()).isEqualTo(1);
        assertThat(devices.queryBlockstats(false).getFirst().stats().wrOperations()).isEqualTo(1);
    }

    @Test
    void rerrorStopPausesInIoErrorUntilContRetriesTheRead() throws Exception {
        Drive drive = disk(ErrorAction.ENOSPC, ErrorAction.STOP,
                "[{\"event\":\"read_aio\",\"iotype\":\"read\",\"once\":true,\"sector\":4}]");
        assertThat(drive.read(0, 512)).containsOnly(0);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> drive.read(2048, 512));
        awaitIoErrorStop();
        assertThat(events).containsExactly(ioError("read", "stop", false, "Input/output error"), "STOP");
        assertThat(drive.ioStatus()).isEqualTo(BlockDeviceIoStatus.FAILED);
        assertThat(devices.queryBlock().getFirst().ioStatus()).isEqualTo(BlockDeviceIoStatus.FAILED);
        assertThat(read).isNotDone();
        machine.cont();
        assertThat(read.get(10, TimeUnit.SECONDS)).as("the retried read").containsOnly(4);
        assertThat(drive.ioStatus()).isEqualTo(BlockDeviceIoStatus.OK);
        assertThat(machine.runState()).isEqualTo(RunState.RUNNING);
        assertThat(devices.queryBlockstats(false).getFirst().stats().failedRdOperations()).isEqualTo(1);
    }

    @Test
    void werrorEnospcReportsEioButStopsOnEnospcAndLosesNoWrite() throws Exception {
        Drive drive = disk(ErrorAction.ENOSPC, ErrorAction.REPORT, "[{\"event\":\"write_aio\",\"sector\":0},"
                + "{\"event\":\"write_aio\",\"sector\":8,\"errno\":28,\"once\":true}]");
        assertThatThrownBy(() -> drive.write(0, sectorOf(7))).isInstanceOf(Drive.DriveIoException.class)
                .hasMessage("Input/output error");
        assertThat(events).containsExactly(ioError("write", "report", false, "Input/output error"));
        assertThat(machine.runState()).isEqualTo(RunState.RUNNING);
        events.clear();
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> drive.write(4096, sectorOf(7)));
        awaitIoErrorStop();
        assertThat(events).containsExactly(ioError("write", "stop", true, "No space left on device"), "STOP");
        assertThat(drive.ioStatus()).isEqualTo(BlockDeviceIoStatus.NOSPACE);
        machine.cont();
        write.get(10, TimeUnit.SECONDS);
        assertThat(drive.ioStatus()).isEqualTo(BlockDeviceIoStatus.OK);
        devices.close();
        byte[] file = Files.readAllBytes(image);
        assertThat(Arrays.copyOfRange(file, 4096, 4608)).as("the held write landed").containsOnly(7);
        assertThat(Arrays.copyOfRange(file, 0, 512)).as("the reported write did not").containsOnly(0);
        devices = new BlockDevices((n, d, f) -> { }, CompatPolicy.ACCEPT_ALL, line -> { });
    }

    @Test
    void werrorIgnoreCompletesTheWriteWithoutItsData() throws Exception {
        Drive drive = disk(ErrorAction.IGNORE, ErrorAction.REPORT,
                "[{\"event\":\"write_aio\",\"sector\":2,\"iotype\":\"write\"}]");
        drive.write(1024, sectorOf(3));
        drive.write(1536, sectorOf(3));
        assertThat(events).containsExactly(ioError("write", "ignore", null, "Input/output error"));
        assertThat(machine.runState()).isEqualTo(RunState.RUNNING);
        assertThat(drive.read(1024, 1024)).startsWith(sectorOf(2)).endsWith(sectorOf(3));
    }

    /**
     * qcow2 over blkdebug, as QEMU 7.2 answered {@code qemu-io top "read 0 512"}, {@code "write 0 512"},
     * {@code "read 0 512"} with a write_aio rule (iotype write, ENOSPC): the open and the read of an unallocated
     * cluster pass, the write fails with ENOSPC, the read after it still passes. (jqmp's qcow2 fires read_aio and
     * write_aio for its metadata I/O too, where QEMU's fires l2_load, refblock_* and the like.)
     */
    @Test
    void qcow2OverBlkdebugOpensAndFailsTheWriteItsRuleSelects() throws Exception {
        QemuImg.require();
        Path qcow2 = dir.resolve("q.qcow2");
        QemuImg.run("qemu-img", "create", "-f", "qcow2", qcow2.toString(), "1M");
        add("{\"driver\":\"blkdebug\",\"node-name\":\"dbg\",\"image\":{\"driver\":\"file\",\"filename\":\""
                + qcow2 + "\"},\"inject-error\":[{\"event\":\"write_aio\",\"iotype\":\"write\",\"errno\":28}]}");
        add("{\"driver\":\"qcow2\",\"node-name\":\"top\",\"file\":\"dbg\"}");
        Drive drive = devices.attach(new DriveConfig("", "disk0", DriveConfig.Interface.IDE, false, null, null, false,
                DriveConfig.CacheMode.WRITEBACK, ErrorAction.REPORT, ErrorAction.REPORT, null), "top");
        assertThat(drive.read(0, 512)).containsOnly(0);
        assertThatThrownBy(() -> drive.write(0, sectorOf(1))).hasMessage("No space left on device");
        assertThat(drive.read(0, 512)).containsOnly(0);
        assertThat(devices.namedNodes(false).stream().filter(i -> i.nodeName().equals("top")).findFirst()
                .orElseThrow().file()).isEqualTo("json:{\"driver\": \"qcow2\", \"file\": {\"image\": {\"driver\": "
                + "\"file\", \"filename\": \"" + qcow2 + "\"}, \"driver\": \"blkdebug\", \"inject-error.0.iotype\": "
                + "\"write\", \"inject-error.0.event\": \"write_aio\", \"inject-error.0.errno\": 28}}");
    }

    @Test
    void aFailedFlushGoesByWerrorAsAWrite() {
        Drive drive = disk(ErrorAction.REPORT, ErrorAction.REPORT,
                "[{\"event\":\"flush_to_disk\",\"iotype\":\"flush\",\"errno\":122}]");
        drive.write(0, sectorOf(1));
        assertThatThrownBy(drive::flush).isInstanceOf(Drive.DriveIoException.class)
                .hasMessage("Disk quota exceeded");
        assertThat(events).as("no I/O status with report/report: no nospace member")
                .containsExactly(ioError("write", "report", null, "Disk quota exceeded"));
        assertThat(devices.queryBlock().getFirst().ioStatus()).isNull();
    }
}
