package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block commands against the real QEMU 7.2: each side gets its own directory with the same images (made by
 * qemu-img) and the same command line, is sent the same steps, and every reply and event is compared, member
 * order included. Masked, as for the fixtures: automatic node names ({@code #blockNNN}), {@code actual-size},
 * the directory, and the values of latency and idle times.
 */
class BlockDifferentialTest {
    @TempDir
    Path dir;

    private static String exec(String command, String arguments) {
        return "{\"execute\":\"" + command + "\",\"arguments\":" + arguments + "}";
    }

    private static String exec(String command) {
        return "{\"execute\":\"" + command + "\"}";
    }

    private static final List<String> DRIVES = List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
            "-drive", "file=$DIR/d.qcow2,id=disk0,werror=stop,rerror=stop",
            "-drive", "if=ide,media=cdrom,id=cd0",
            "-drive", "file=$DIR/cd.iso,if=virtio,format=raw",
            "-drive", "file=$DIR/cd2.iso,if=none,id=nn,format=raw,readonly=on,cache=none");

    @Test
    void queriesOfEveryKindOfDrive() throws Exception {
        compare(DRIVES, List.of(exec("qmp_capabilities"), exec("query-block"), exec("query-named-block-nodes"),
                exec("query-named-block-nodes", "{\"flat\":true}"), exec("query-blockstats"),
                exec("query-blockstats", "{\"query-nodes\":true}"), exec("query-block-jobs")));
    }

    @Test
    void removableMediaAndTheirErrors() throws Exception {
        compare(DRIVES, List.of(exec("qmp_capabilities"),
                exec("blockdev-open-tray", "{\"device\":\"disk0\"}"),
                exec("blockdev-close-tray", "{\"device\":\"disk0\"}"),
                exec("blockdev-remove-medium", "{\"id\":\"disk0\"}"),
                exec("blockdev-close-tray", "{\"device\":\"cd0\"}"),
                exec("blockdev-insert-medium", "{\"id\":\"/machine/unattached/device[19]\",\"node-name\":\"x\"}"),
                exec("blockdev-change-medium", "{\"device\":\"cd0\",\"filename\":\"$DIR/nope.iso\","
                        + "\"format\":\"raw\"}"),
                exec("blockdev-change-medium", "{\"device\":\"cd0\",\"filename\":\"$DIR/cd.iso\",\"format\":\"raw\"}"),
                exec("query-block"),
                exec("blockdev-open-tray", "{\"device\":\"cd0\"}"),
                exec("blockdev-open-tray", "{\"id\":\"/machine/unattached/device[19]\"}"),
                exec("blockdev-insert-medium", "{\"id\":\"/machine/unattached/device[19]\",\"node-name\":\"x\"}"),
                exec("blockdev-remove-medium", "{\"id\":\"/machine/unattached/device[19]\"}"),
                exec("blockdev-remove-medium", "{\"id\":\"/machine/unattached/device[19]\"}"),
                exec("blockdev-insert-medium", "{\"id\":\"/machine/unattached/device[19]\",\"node-name\":\"nope\"}"),
                exec("blockdev-close-tray", "{\"device\":\"cd0\"}"),
                exec("query-block"),
                exec("eject", "{\"device\":\"nn\"}"), exec("eject", "{\"device\":\"nn\"}"),
                exec("eject", "{\"id\":\"nope\"}"), exec("eject", "{}"),
                exec("eject", "{\"device\":\"disk0\",\"id\":\"x\"}"),
                exec("blockdev-change-medium", "{\"device\":\"nn\",\"filename\":\"$DIR/cd2.iso\",\"format\":\"raw\"}"),
                exec("blockdev-change-medium", "{\"device\":\"virtio0\",\"filename\":\"$DIR/cd2.iso\"}"),
                exec("query-block")));
    }

    @Test
    void externalSnapshotsAndTransactions() throws Exception {
        compare(DRIVES, List.of(exec("qmp_capabilities"),
                exec("blockdev-snapshot-sync", "{\"device\":\"nope\",\"snapshot-file\":\"$DIR/s.qcow2\"}"),
                exec("blockdev-snapshot-sync", "{\"node-name\":\"nope\",\"snapshot-file\":\"$DIR/s.qcow2\"}"),
                exec("blockdev-snapshot-sync", "{\"snapshot-file\":\"$DIR/s.qcow2\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/s.raw\","
                        + "\"format\":\"raw\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/s.x\","
                        + "\"format\":\"bogus\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"cd0\",\"snapshot-file\":\"$DIR/s.qcow2\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/d.qcow2\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"nn\",\"snapshot-file\":\"$DIR/s5.qcow2\","
                        + "\"snapshot-node-name\":\"bad name\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/s1.qcow2\","
                        + "\"snapshot-node-name\":\"s1\"}"),
                exec("blockdev-snapshot-sync", "{\"node-name\":\"s1\",\"snapshot-file\":\"$DIR/s2.qcow2\"}"),
                exec("blockdev-snapshot-sync", "{\"node-name\":\"s1\",\"snapshot-file\":\"$DIR/s2.qcow2\","
                        + "\"snapshot-node-name\":\"s1\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"virtio0\",\"snapshot-file\":\"$DIR/s3.qcow2\","
                        + "\"snapshot-node-name\":\"disk0\"}"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":"
                        + "\"disk0\",\"snapshot-file\":\"$DIR/t1.qcow2\"}},{\"type\":\"blockdev-snapshot-sync\","
                        + "\"data\":{\"device\":\"nope\",\"snapshot-file\":\"$DIR/t2.qcow2\"}}]}"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":"
                        + "\"disk0\",\"snapshot-file\":\"$DIR/t3.qcow2\"}},{\"type\":\"abort\",\"data\":{}}]}"),
                exec("transaction", "{\"actions\":[]}"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":"
                        + "\"disk0\",\"snapshot-file\":\"$DIR/t4.qcow2\"}}],\"properties\":{\"completion-mode\":"
                        + "\"grouped\"}}"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot-sync\",\"data\":{\"device\":"
                        + "\"disk0\",\"snapshot-file\":\"$DIR/t5.qcow2\"}},{\"type\":\"blockdev-snapshot-sync\","
                        + "\"data\":{\"device\":\"virtio0\",\"snapshot-file\":\"$DIR/t6.qcow2\"}}]}"),
                exec("query-block"), exec("query-blockstats"), exec("query-named-block-nodes")));
    }

    @Test
    void blockdevAddAndDel() throws Exception {
        compare(DRIVES, List.of(exec("qmp_capabilities"),
                exec("blockdev-add", "{\"driver\":\"file\",\"filename\":\"$DIR/e.qcow2\"}"),
                exec("blockdev-add", "{\"driver\":\"file\",\"filename\":\"$DIR/e.qcow2\",\"node-name\":\"f0\"}"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"file\":\"f0\",\"node-name\":\"q0\"}"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"file\":\"nope\",\"node-name\":\"q1\"}"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"file\":{\"driver\":\"file\",\"filename\":"
                        + "\"$DIR/nope\"},\"node-name\":\"q2\"}"),
                exec("blockdev-add", "{\"driver\":\"file\",\"filename\":\"$DIR/cd2.iso\",\"node-name\":\"q0\"}"),
                exec("blockdev-add", "{\"driver\":\"file\",\"filename\":\"$DIR/cd2.iso\",\"node-name\":\"nn\"}"),
                exec("blockdev-add", "{\"driver\":\"raw\",\"file\":{\"driver\":\"file\",\"filename\":"
                        + "\"$DIR/cd3.iso\"},\"node-name\":\"r2\",\"read-only\":true}"),
                exec("query-named-block-nodes"),
                exec("blockdev-del", "{\"node-name\":\"f0\"}"),
                exec("blockdev-del", "{\"node-name\":\"nope\"}"),
                exec("blockdev-open-tray", "{\"device\":\"cd0\"}"),
                exec("blockdev-insert-medium", "{\"id\":\"/machine/unattached/device[19]\",\"node-name\":\"r2\"}"),
                exec("blockdev-del", "{\"node-name\":\"r2\"}"),
                exec("blockdev-close-tray", "{\"device\":\"cd0\"}"),
                exec("query-block"),
                exec("eject", "{\"device\":\"cd0\"}"),
                exec("blockdev-del", "{\"node-name\":\"r2\"}"),
                exec("blockdev-del", "{\"node-name\":\"q0\"}"),
                exec("blockdev-del", "{\"node-name\":\"f0\"}"),
                exec("query-named-block-nodes")));
    }

    @Test
    void resizeAndWriteThreshold() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
                "-drive", "file=$DIR/d.qcow2,id=disk0", "-drive", "file=$DIR/cd.iso,media=cdrom,id=cd0,format=raw",
                "-drive", "if=ide,media=cdrom,id=cd1"), List.of(exec("qmp_capabilities"),
                exec("block_resize", "{\"device\":\"disk0\",\"size\":134217728}"),
                exec("block_resize", "{\"device\":\"disk0\",\"size\":1000}"),
                exec("block_resize", "{\"device\":\"disk0\",\"size\":-1}"),
                exec("block_resize", "{\"device\":\"nope\",\"size\":1000}"),
                exec("block_resize", "{\"size\":1000}"),
                exec("block_resize", "{\"device\":\"cd0\",\"size\":1048576}"),
                exec("block_resize", "{\"device\":\"cd1\",\"size\":1048576}"),
                exec("block_resize", "{\"device\":\"disk0\",\"size\":67108864}"),
                exec("block-set-write-threshold", "{\"node-name\":\"nope\",\"write-threshold\":1000}"),
                exec("block-set-write-threshold", "{\"node-name\":\"disk0\",\"write-threshold\":1000}"),
                exec("query-block")));
    }

    @Test
    void blockdevNodesAndDeviceModels() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
                "-drive", "if=none,id=d0,file=$DIR/d.qcow2", "-device", "ide-hd,drive=d0,id=disk0",
                "-blockdev", "driver=raw,node-name=n1,file.driver=file,file.filename=$DIR/cd.iso",
                "-device", "virtio-blk-pci,drive=n1",
                "-blockdev", "{\"driver\":\"file\",\"node-name\":\"f2\",\"filename\":\"$DIR/cd2.iso\","
                        + "\"read-only\":true}", "-device", "ide-cd,drive=f2"),
                List.of(exec("qmp_capabilities"), exec("query-block"), exec("query-blockstats"),
                        exec("query-named-block-nodes"), exec("blockdev-del", "{\"node-name\":\"f2\"}"),
                        exec("eject", "{\"id\":\"/machine/peripheral-anon/device[1]\"}"),
                        exec("eject", "{\"device\":\"d0\"}"), exec("query-block"),
                        exec("blockdev-del", "{\"node-name\":\"f2\"}"), exec("query-named-block-nodes")));
    }

    @Test
    void nbdExportsThroughQmp() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none", "-drive", "file=$DIR/d.qcow2,id=disk0",
                "-drive", "file=$DIR/cd.iso,if=none,id=nn,format=raw,readonly=on"), List.of(exec("qmp_capabilities"),
                exec("nbd-server-stop"), exec("nbd-server-add", "{\"device\":\"disk0\"}"),
                exec("block-export-add", "{\"type\":\"nbd\",\"id\":\"e0\",\"node-name\":\"disk0\"}"),
                exec("nbd-server-start", "{\"addr\":{\"type\":\"unix\",\"data\":{\"path\":\"$DIR/nbd.sock\"}}}"),
                exec("nbd-server-start", "{\"addr\":{\"type\":\"unix\",\"data\":{\"path\":\"$DIR/n2.sock\"}}}"),
                exec("nbd-server-add", "{\"device\":\"disk0\"}"), exec("nbd-server-add", "{\"device\":\"disk0\"}"),
                exec("nbd-server-add", "{\"device\":\"nope\"}"),
                exec("nbd-server-add", "{\"device\":\"nn\",\"name\":\"cd\"}"),
                exec("block-export-add", "{\"type\":\"nbd\",\"id\":\"e0\",\"node-name\":\"disk0\"}"),
                exec("query-block-exports"),
                exec("nbd-server-remove", "{\"name\":\"nope\"}"), exec("nbd-server-remove", "{\"name\":\"disk0\"}"),
                exec("block-export-del", "{\"id\":\"nope\"}"), exec("query-block-exports"),
                exec("block-export-add", "{\"type\":\"fuse\",\"id\":\"f\",\"node-name\":\"disk0\","
                        + "\"mountpoint\":\"$DIR/m\"}"),
                exec("nbd-server-stop"), exec("query-block-exports"), exec("nbd-server-stop"),
                exec("nbd-server-start", "{\"addr\":{\"type\":\"unix\","
                        + "\"data\":{\"path\":\"/nonexistent/n.sock\"}}}")));
    }

    @Test
    void temporarySnapshotsTakeTheWrites() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
                "-drive", "file=$DIR/d.qcow2,id=disk0,snapshot=on"), List.of(exec("qmp_capabilities"),
                exec("query-block"), exec("query-named-block-nodes"), exec("query-blockstats")));
        // -snapshot: every drive so, unless it says snapshot=off
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none", "-snapshot",
                "-drive", "file=$DIR/d.qcow2,id=disk0", "-drive", "file=$DIR/e.qcow2,id=disk1,snapshot=off"),
                List.of(exec("qmp_capabilities"), exec("query-block")));
    }

    /**
     * block-stream on a base/mid/top chain written by qemu-io: the job's events (they arrive after the reply, when
     * the job ends, so they are compared as a sequence of their own), the reply, and the chain afterwards.
     */
    @Test
    void streamingAChain() throws Exception {
        Processes.assumeInstalled("qemu-io", "qemu-utils");
        List<String> fromQemu = stream(Processes::qemu, dir.resolve("qemu"));
        List<String> fromJqmp = stream(Processes::jqmp, dir.resolve("jqmp"));
        assertThat(fromJqmp).containsExactlyElementsOf(fromQemu);
        assertThat(fromQemu).contains("{\"return\": {}}").anyMatch(m -> m.contains("BLOCK_JOB_COMPLETED"));
    }

    private static List<String> stream(ScenarioSide.Starter starter, Path where) throws Exception {
        Files.createDirectories(where);
        String d = where.toString();
        run("qemu-img", "create", "-f", "qcow2", d + "/b.qcow2", "8M");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 7 0 1M", d + "/b.qcow2");
        run("qemu-img", "create", "-f", "qcow2", "-b", d + "/b.qcow2", "-F", "qcow2", d + "/m.qcow2");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 8 2M 64k", d + "/m.qcow2");
        run("qemu-img", "create", "-f", "qcow2", "-b", d + "/m.qcow2", "-F", "qcow2", d + "/o.qcow2");
        Path socket = where.resolve("qmp.sock");
        Process process = starter.start(where, List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
                "-drive", "file=" + d + "/o.qcow2,id=disk0", "-qmp", "unix:" + socket + ",server=on,wait=off"));
        List<String> seen = new ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            c.step(exec("qmp_capabilities").getBytes(StandardCharsets.UTF_8));
            c.send(exec("block-stream", "{\"device\":\"disk0\",\"base\":\"" + d + "/b.qcow2\"}")
                    .getBytes(StandardCharsets.UTF_8));
            List<String> events = new ArrayList<>();
            String reply = null;
            while (events.isEmpty() || !events.getLast().contains("\"status\": \"null\"")) {
                String m = mask(Canonical.of(c.readMessage()), d);
                if (m.contains("\"event\"")) {
                    events.add(m);
                } else {
                    reply = m;
                }
            }
            seen.addAll(events);
            seen.add(reply);
            seen.addAll(c.step(exec("query-block").getBytes(StandardCharsets.UTF_8)).stream()
                    .map(m -> mask(Canonical.of(m), d)).toList());
        } finally {
            Processes.stop(process);
        }
        return seen;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }

    /** HMP's {@code info block} and {@code info blockstats}, as a human monitor and human-monitor-command print them. */
    @Test
    void humanMonitorInfoBlockAndBlockstats() throws Exception {
        compare(DRIVES, List.of(exec("qmp_capabilities"), hmp("info block"), hmp("info blockstats"),
                hmp("info block cd0"), hmp("info block nope"), hmp("help info block"), hmp("info blockstats x"),
                exec("blockdev-snapshot-sync", "{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/s.qcow2\"}"),
                hmp("info block disk0"), exec("eject", "{\"device\":\"nn\"}"),
                exec("blockdev-open-tray", "{\"device\":\"cd0\"}"), hmp("info block"), hmp("info blockstats")));
    }

    /** HMP's {@code eject} and {@code change}: their argument errors, and the QMP commands' events and errors. */
    @Test
    void humanMonitorEjectAndChange() throws Exception {
        compare(DRIVES, List.of(exec("qmp_capabilities"), hmp("help eject"), hmp("help change"), hmp("eject"),
                hmp("eject nope"), hmp("eject -f cd0"), hmp("eject cd0 extra"), hmp("change"), hmp("change cd0"),
                hmp("change cd0 $DIR/nope.iso raw"), hmp("change cd0 $DIR/cd.iso raw"),
                hmp("change cd0 $DIR/cd.iso raw bogus"), hmp("change cd0 -f $DIR/cd2.iso raw read-only"),
                hmp("change disk0 $DIR/cd.iso raw"), hmp("eject disk0"), hmp("info block cd0")));
    }

    /** HMP's {@code snapshot_blkdev}, {@code block_resize}, {@code info block-jobs} and {@code system_wakeup}. */
    @Test
    void humanMonitorSnapshotsAndResize() throws Exception {
        compare(DRIVES, List.of(exec("qmp_capabilities"), hmp("help snapshot_blkdev"), hmp("help block_resize"),
                hmp("snapshot_blkdev"), hmp("snapshot_blkdev disk0"), hmp("snapshot_blkdev disk0 $DIR/s1.qcow2"),
                hmp("snapshot_blkdev disk0 $DIR/s2.qcow2 qcow2"), hmp("snapshot_blkdev -n disk0 $DIR/s1.qcow2 qcow2"),
                hmp("snapshot_blkdev nope $DIR/s3.qcow2"), hmp("snapshot_blkdev disk0 $DIR/s4.qcow2 raw"),
                hmp("block_resize"), hmp("block_resize disk0"), hmp("block_resize disk0 128"),
                hmp("block_resize disk0 1x"), hmp("block_resize disk0 0.5G"), hmp("block_resize nope 1G"),
                hmp("info block-jobs"), hmp("system_wakeup"), hmp("info block disk0"), exec("query-block")));
    }

    private static String hmp(String line) {
        return exec("human-monitor-command", "{\"command-line\":\"" + line + "\"}");
    }

    @Test
    void theDefaultDrivesOfThePcMachine() throws Exception {
        compare(List.of("-M", "pc", "-S", "-display", "none", "-drive", "file=$DIR/d.qcow2"),
                List.of(exec("qmp_capabilities"), exec("query-block"), exec("query-blockstats")));
    }

    /**
     * blockdev-snapshot (an overlay added with backing null) alone and in transactions: each check of QEMU 7.2's
     * external_snapshot_action in its order, then bdrv_append's (read-only overlay under a writer, a cycle), and
     * the json: names of overlays whose header names no backing file.
     */
    @Test
    void blockdevSnapshotAndItsErrors() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none", "-drive", "file=$DIR/d.qcow2,id=disk0",
                "-drive", "if=ide,media=cdrom,id=cd0", "-drive", "file=$DIR/cd.iso,if=virtio,format=raw",
                "-drive", "file=$DIR/cd2.iso,if=none,id=nn,format=raw,readonly=on,cache=none"),
                List.of("qemu-img create -f qcow2 $DIR/ov.qcow2 64M",
                "qemu-img create -f qcow2 $DIR/ov2.qcow2 64M"),
                List.of(exec("qmp_capabilities"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"ov\",\"file\":{\"driver\":\"file\","
                        + "\"filename\":\"$DIR/ov.qcow2\"},\"backing\":null}"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"ov2\",\"file\":{\"driver\":\"file\","
                        + "\"filename\":\"$DIR/ov2.qcow2\"}}"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"ex\",\"file\":{\"driver\":\"file\","
                        + "\"filename\":\"$DIR/e.qcow2\"}}"),
                exec("blockdev-snapshot", "{\"node\":\"nope\",\"overlay\":\"ov\"}"),
                exec("blockdev-snapshot", "{\"node\":\"ex\",\"overlay\":\"nope\"}"),
                exec("blockdev-snapshot", "{\"node\":\"ex\",\"overlay\":\"ex\"}"),
                exec("blockdev-snapshot", "{\"node\":\"ex\",\"overlay\":\"disk0\"}"),
                exec("blockdev-snapshot", "{\"node\":\"ex\",\"overlay\":\"ov2\"}"),
                exec("blockdev-snapshot", "{\"node\":\"cd0\",\"overlay\":\"ov\"}"),
                exec("blockdev-snapshot", "{\"node\":\"ex\",\"overlay\":\"ov\"}"),
                exec("blockdev-snapshot", "{\"node\":\"ex\",\"overlay\":\"ov\"}"),
                exec("blockdev-snapshot", "{\"node\":\"ov\",\"overlay\":\"ex\"}"),
                exec("query-named-block-nodes", "{\"flat\":true}")));
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none", "-drive", "file=$DIR/d.qcow2,id=disk0",
                "-drive", "if=ide,media=cdrom,id=cd0", "-drive", "file=$DIR/cd.iso,if=virtio,format=raw",
                "-drive", "file=$DIR/cd2.iso,if=none,id=nn,format=raw,readonly=on"),
                List.of("qemu-img create -f qcow2 $DIR/ov.qcow2 64M",
                "qemu-img create -f qcow2 $DIR/ov2.qcow2 64M",
                "qemu-img create -f qcow2 $DIR/ov3.qcow2 64M"),
                List.of(exec("qmp_capabilities"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"ov\",\"file\":{\"driver\":\"file\","
                        + "\"filename\":\"$DIR/ov.qcow2\"},\"backing\":null}"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"ov2\",\"file\":{\"driver\":\"file\","
                        + "\"filename\":\"$DIR/ov2.qcow2\"},\"backing\":null}"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"ro\",\"read-only\":true,"
                        + "\"file\":{\"driver\":\"file\",\"filename\":\"$DIR/ov3.qcow2\"},\"backing\":null}"),
                exec("blockdev-add", "{\"driver\":\"raw\",\"node-name\":\"rw\",\"file\":{\"driver\":\"file\","
                        + "\"node-name\":\"rwf\",\"filename\":\"$DIR/cd3.iso\"}}"),
                exec("blockdev-snapshot", "{\"node\":\"disk0\",\"overlay\":\"rw\"}"),
                exec("blockdev-snapshot", "{\"node\":\"disk0\",\"overlay\":\"rwf\"}"),
                exec("blockdev-snapshot", "{\"node\":\"disk0\",\"overlay\":\"obf\"}"),
                exec("blockdev-snapshot", "{\"node\":\"disk0\",\"overlay\":\"virtio0\"}"),
                exec("blockdev-snapshot", "{\"node\":\"disk0\",\"overlay\":\"cd0\"}"),
                exec("blockdev-snapshot", "{\"node\":\"disk0\",\"overlay\":\"ro\"}"),
                exec("blockdev-snapshot", "{\"node\":\"nn\",\"overlay\":\"ro\"}"),
                exec("blockdev-snapshot", "{\"node\":\"disk0\",\"overlay\":\"ov\"}"),
                exec("query-block"),
                exec("blockdev-snapshot", "{\"node\":\"disk0\",\"overlay\":\"ov\"}"),
                exec("blockdev-snapshot", "{\"node\":\"ov\",\"overlay\":\"ov\"}"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"disk0\","
                        + "\"overlay\":\"ov2\"}},{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"disk0\","
                        + "\"overlay\":\"ov2\"}}]}"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"disk0\","
                        + "\"overlay\":\"ov2\"}},{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"virtio0\","
                        + "\"overlay\":\"nope\"}}]}"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"ov\","
                        + "\"overlay\":\"ov2\"}}]}"),
                exec("blockdev-snapshot-sync", "{\"node-name\":\"ov\",\"snapshot-file\":\"$DIR/s9.qcow2\","
                        + "\"snapshot-node-name\":\"s9\"}"),
                exec("query-named-block-nodes", "{\"flat\":true}"),
                exec("query-block")));
    }

    /** An overlay from blockdev-add on a cache=none drive keeps its own cache flags (QEMU shows the node's). */
    @Test
    void blockdevSnapshotOverlayKeepsItsCacheFlags() throws Exception {
        compare(DRIVES, List.of("qemu-img create -f qcow2 $DIR/ov.qcow2 2M"), List.of(exec("qmp_capabilities"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"ov\",\"read-only\":true,"
                        + "\"file\":{\"driver\":\"file\",\"filename\":\"$DIR/ov.qcow2\"},\"backing\":null}"),
                exec("blockdev-snapshot", "{\"node\":\"nn\",\"overlay\":\"ov\"}"), exec("query-block"),
                exec("query-named-block-nodes", "{\"flat\":true}"), exec("blockdev-del", "{\"node-name\":\"ov\"}")));
    }

    /** Transactions whose later actions stand on what earlier ones appended (QEMU appends while it prepares). */
    @Test
    void transactionsOnTopOfTheirOwnOverlays() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none", "-drive", "file=$DIR/d.qcow2,"
                        + "id=disk0", "-drive", "file=$DIR/e.qcow2,if=virtio"),
                List.of("qemu-img create -f qcow2 $DIR/ov.qcow2 64M",
                "qemu-img create -f qcow2 $DIR/ov2.qcow2 64M"),
                List.of(exec("qmp_capabilities"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"ov\",\"file\":{\"driver\":\"file\","
                        + "\"filename\":\"$DIR/ov.qcow2\"},\"backing\":null}"),
                exec("blockdev-add", "{\"driver\":\"qcow2\",\"node-name\":\"ov2\",\"file\":{\"driver\":\"file\","
                        + "\"filename\":\"$DIR/ov2.qcow2\"},\"backing\":null}"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot-sync\","
                        + "\"data\":{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/t1.qcow2\","
                        + "\"snapshot-node-name\":\"t1\"}},{\"type\":\"blockdev-snapshot-sync\","
                        + "\"data\":{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/t2.qcow2\"}}]}"),
                exec("query-block"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot-sync\","
                        + "\"data\":{\"device\":\"virtio0\",\"snapshot-file\":\"$DIR/t3.qcow2\","
                        + "\"snapshot-node-name\":\"t3\"}},{\"type\":\"blockdev-snapshot\","
                        + "\"data\":{\"node\":\"t3\",\"overlay\":\"ov\"}}]}"),
                exec("query-block"),
                exec("transaction", "{\"actions\":[{\"type\":\"blockdev-snapshot\",\"data\":{\"node\":\"virtio0\","
                        + "\"overlay\":\"ov2\"}},{\"type\":\"blockdev-snapshot-sync\","
                        + "\"data\":{\"node-name\":\"t1\",\"snapshot-file\":\"$DIR/t4.qcow2\","
                        + "\"snapshot-node-name\":\"t4\"}}]}"),
                exec("query-block"),
                exec("query-named-block-nodes")));
    }

    /** blockdev-snapshot-sync mode=existing: overlays made by qemu-img with, without and with another backing name. */
    @Test
    void snapshotSyncOntoExistingImages() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none", "-drive", "file=$DIR/d.qcow2,id=disk0",
                "-drive", "file=$DIR/e.qcow2,if=virtio", "-drive", "file=$DIR/cd.iso,if=none,id=nn,format=raw"),
                List.of("qemu-img create -f qcow2 $DIR/x1.qcow2 64M",
                "qemu-img create -f qcow2 -b $DIR/d.qcow2 -F qcow2 $DIR/x2.qcow2",
                "cd $DIR && qemu-img create -f qcow2 -b d.qcow2 -F qcow2 x3.qcow2",
                "qemu-img create -f qcow2 -b $DIR/cd.iso -F raw $DIR/x4.qcow2",
                "qemu-img create -f qcow2 -b $DIR/e.qcow2 -F qcow2 $DIR/x5.qcow2"),
                List.of(exec("qmp_capabilities"),
                exec("blockdev-snapshot-sync", "{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/x1.qcow2\","
                        + "\"mode\":\"existing\"}"),
                exec("query-block"),
                exec("blockdev-snapshot-sync", "{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/x2.qcow2\","
                        + "\"mode\":\"existing\"}"),
                exec("query-block"),
                exec("blockdev-snapshot-sync", "{\"device\":\"virtio0\",\"snapshot-file\":\"$DIR/x3.qcow2\","
                        + "\"mode\":\"existing\",\"snapshot-node-name\":\"x3\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"nn\",\"snapshot-file\":\"$DIR/x4.qcow2\","
                        + "\"mode\":\"existing\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"virtio0\",\"snapshot-file\":\"$DIR/x5.qcow2\","
                        + "\"mode\":\"existing\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"virtio0\",\"snapshot-file\":\"$DIR/nope.qcow2\","
                        + "\"mode\":\"existing\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"virtio0\",\"snapshot-file\":\"$DIR/cd.iso\","
                        + "\"mode\":\"existing\",\"format\":\"raw\"}"),
                exec("query-block"),
                exec("query-named-block-nodes")));
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none", "-drive", "file=$DIR/d.qcow2,id=disk0",
                "-drive", "file=$DIR/e.qcow2,if=virtio"),
                List.of("qemu-img create -f qcow2 -b $DIR/d.qcow2 -F qcow2 $DIR/x6.qcow2",
                "cd $DIR && qemu-img create -f qcow2 -b e.qcow2 -F qcow2 x7.qcow2"),
                List.of(exec("qmp_capabilities"),
                exec("blockdev-snapshot-sync", "{\"device\":\"disk0\",\"snapshot-file\":\"$DIR/x6.qcow2\","
                        + "\"mode\":\"existing\"}"),
                exec("blockdev-snapshot-sync", "{\"device\":\"virtio0\",\"snapshot-file\":\"$DIR/x7.qcow2\","
                        + "\"mode\":\"existing\"}"),
                exec("query-block")));
    }

    /**
     * eject with force on unlocked trays (a locked tray needs a guest that locks it, which QEMU without one has
     * not) and blockdev-change-medium with each read-only-mode, on CD-ROMs, a tray-less removable drive and disks.
     */
    @Test
    void ejectForceAndChangeMediumReadOnlyModes() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none", "-drive", "file=$DIR/d.qcow2,id=disk0",
                "-drive", "if=ide,media=cdrom,id=cd0", "-drive", "file=$DIR/cd.iso,if=virtio,format=raw",
                "-drive", "file=$DIR/cd2.iso,if=none,id=nn,format=raw,readonly=on", "-drive", "file=$DIR/cd3.iso,"
                        + "if=ide,media=cdrom,id=cd1,format=raw"),
                List.of("for i in 1 2 3 4 5 6; do qemu-img create -f raw $DIR/m$i.iso 1M; done",
                "qemu-img create -f qcow2 $DIR/m7.qcow2 1M"),
                List.of(exec("qmp_capabilities"),
                exec("eject", "{\"device\":\"cd1\",\"force\":true}"),
                exec("eject", "{\"device\":\"cd1\",\"force\":true}"),
                exec("eject", "{\"device\":\"cd0\",\"force\":false}"),
                exec("eject", "{\"device\":\"disk0\",\"force\":true}"),
                exec("eject", "{\"device\":\"nope\",\"force\":true}"),
                exec("eject", "{\"id\":\"/machine/unattached/device[19]\",\"force\":true}"),
                exec("eject", "{\"device\":\"nn\",\"force\":true}"),
                exec("blockdev-change-medium", "{\"device\":\"cd1\",\"filename\":\"$DIR/m1.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"read-only\"}"),
                exec("query-block"),
                exec("blockdev-change-medium", "{\"device\":\"cd1\",\"filename\":\"$DIR/m2.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"read-write\"}"),
                exec("query-block"),
                exec("blockdev-change-medium", "{\"device\":\"cd1\",\"filename\":\"$DIR/m3.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"retain\"}"),
                exec("blockdev-change-medium", "{\"device\":\"cd1\",\"filename\":\"$DIR/m3.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"bogus\"}"),
                exec("blockdev-change-medium", "{\"device\":\"cd0\",\"filename\":\"$DIR/m4.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"read-write\",\"force\":true}"),
                exec("blockdev-change-medium", "{\"device\":\"disk0\",\"filename\":\"$DIR/m5.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"read-only\"}"),
                exec("blockdev-change-medium", "{\"device\":\"virtio0\",\"filename\":\"$DIR/m5.iso\","
                        + "\"read-only-mode\":\"read-write\"}"),
                exec("blockdev-change-medium", "{\"device\":\"nn\",\"filename\":\"$DIR/m5.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"read-write\"}"),
                exec("blockdev-change-medium", "{\"device\":\"nn\",\"filename\":\"$DIR/m6.iso\",\"format\":\"raw\"}"),
                exec("blockdev-change-medium", "{\"device\":\"cd0\",\"filename\":\"$DIR/nope.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"read-only\"}"),
                exec("blockdev-change-medium", "{\"device\":\"cd0\",\"filename\":\"$DIR/m7.qcow2\","
                        + "\"read-only-mode\":\"read-only\"}"),
                exec("blockdev-change-medium", "{\"device\":\"cd0\",\"filename\":\"$DIR/m2.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"read-only\"}"),
                exec("blockdev-change-medium", "{\"device\":\"cd0\",\"filename\":\"$DIR/m1.iso\","
                        + "\"format\":\"raw\",\"read-only-mode\":\"read-write\"}"),
                exec("query-block"),
                exec("query-named-block-nodes", "{\"flat\":true}")));
    }

    private void compare(List<String> args, List<String> steps) throws Exception {
        compare(args, List.of(), steps);
    }

    /** {@code setup}: shell commands run in each side's directory before it starts ({@code $DIR} is that directory). */
    private void compare(List<String> args, List<String> setup, List<String> steps) throws Exception {
        Processes.assumeInstalled("qemu-img", "qemu-utils");
        List<List<String>> fromQemu = run(Processes::qemu, dir.resolve("qemu"), args, setup, steps);
        List<List<String>> fromJqmp = run(Processes::jqmp, dir.resolve("jqmp"), args, setup, steps);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (!fromQemu.get(i).equals(fromJqmp.get(i))) {
                mismatches.add(steps.get(i) + "\n   QEMU: " + fromQemu.get(i) + "\n   jqmp: " + fromJqmp.get(i));
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static List<List<String>> run(ScenarioSide.Starter starter, Path where, List<String> args,
                                          List<String> setup, List<String> steps) throws Exception {
        Files.createDirectories(where);
        image(where, "qcow2", "d.qcow2", "64M");
        image(where, "qcow2", "e.qcow2", "16M");
        image(where, "raw", "cd.iso", "1M");
        image(where, "raw", "cd2.iso", "2M");
        image(where, "raw", "cd3.iso", "3M");
        String d = where.toString();
        for (String command : setup) {
            Process p = new ProcessBuilder("sh", "-c", command.replace("$DIR", d)).directory(where.toFile())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(command).isZero();
        }
        return ScenarioSide.run(starter, where, args, (c, dir) -> {
            List<List<String>> out = new ArrayList<>();
            for (String step : steps) {
                List<JsonObject> messages = c.step(step.replace("$DIR", dir).getBytes(StandardCharsets.UTF_8));
                out.add(messages.stream().map(m -> mask(Canonical.of(m), dir)).toList());
            }
            return out;
        });
    }

    /** What differs between two runs of the same thing: the directory, node names, sizes on disk, times. */
    private static String mask(String message, String dir) {
        return message.replace(dir, "$DIR")
                .replaceAll("#block[0-9]+", "#block")
                .replaceAll("/vl\\.[A-Za-z0-9]+", "/vl.X")
                .replaceAll("\"actual-size\": [0-9]+", "\"actual-size\": N")
                .replaceAll("\"((rd|wr|flush|unmap)_total_time_ns|idle_time_ns)\": [1-9][0-9]*", "\"$1\": T");
    }

    private static void image(Path where, String format, String name, String size) throws Exception {
        Process p = new ProcessBuilder("qemu-img", "create", "-f", format, where.resolve(name).toString(), size)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }
}
