package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * blkdebug nodes against the real QEMU 7.2: the same command line and steps on both sides (each in its own
 * directory with the same raw images and config file), every reply compared after masking the directory and
 * automatic node names. Guest I/O cannot be scripted on QEMU without a guest, so this compares what QMP shows:
 * node names ({@code json:} in QEMU's key order, {@code blkdebug:CONFIG:IMAGE}), chains, sizes, and refusals.
 * jqmp takes an image's lock when it opens it, QEMU when a user attaches: each node gets a file of its own.
 */
class BlkdebugDifferentialTest {
    @TempDir
    Path dir;

    private static String exec(String command, String arguments) {
        return "{\"execute\":\"" + command + "\",\"arguments\":" + arguments + "}";
    }

    private static String exec(String command) {
        return "{\"execute\":\"" + command + "\"}";
    }

    private static String blkdebug(String node, String image, String more) {
        return exec("blockdev-add", "{\"driver\":\"blkdebug\",\"node-name\":\"" + node + "\",\"image\":{\"driver\":"
                + "\"file\",\"filename\":\"$DIR/" + image + "\"}" + more + "}");
    }

    @Test
    void blockdevNodesAndTheirRefusals() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
                "-blockdev", "driver=blkdebug,node-name=dbg,image.driver=file,image.filename=$DIR/a.raw,"
                        + "inject-error.0.event=read_aio,inject-error.0.errno=5",
                "-blockdev", "driver=raw,node-name=top,file=dbg", "-device", "ide-hd,drive=top,id=disk0"),
                List.of(exec("qmp_capabilities"), exec("query-block"), exec("query-named-block-nodes"),
                        exec("query-blockstats"), blkdebug("p", "b.raw", ""),
                        blkdebug("q", "c.raw", ",\"config\":\"$DIR/bd.conf\""),
                        blkdebug("r", "d.raw", ",\"inject-error\":[{\"once\":true,\"errno\":5,\"event\":\"read_aio\"},"
                                + "{\"event\":\"write_aio\",\"errno\":28,\"once\":false,\"sector\":3},"
                                + "{\"event\":\"flush_to_disk\",\"iotype\":\"flush\",\"immediately\":true}],"
                                + "\"set-state\":[{\"event\":\"read_aio\",\"new_state\":2},"
                                + "{\"event\":\"write_aio\",\"state\":2,\"new_state\":3}]"),
                        exec("blockdev-add", "{\"driver\":\"raw\",\"node-name\":\"s\",\"file\":\"r\"}"),
                        exec("blockdev-add", "{\"driver\":\"blkdebug\",\"node-name\":\"u\",\"image\":\"p\"}"),
                        blkdebug("v", "e.raw", ",\"align\":4096,\"max-transfer\":65536"),
                        blkdebug("w", "f.raw", ",\"align\":3"),
                        blkdebug("w", "f.raw", ",\"config\":\"$DIR/none.conf\""),
                        blkdebug("w", "f.raw", ",\"inject-error\":[{\"event\":\"bogus\"}]"),
                        exec("blockdev-add", "{\"driver\":\"blkdebug\",\"node-name\":\"w\",\"image\":\"nosuch\"}"),
                        exec("query-named-block-nodes"),
                        exec("blockdev-del", "{\"node-name\":\"p\"}"),
                        exec("blockdev-del", "{\"node-name\":\"u\"}"),
                        exec("blockdev-del", "{\"node-name\":\"p\"}"),
                        exec("query-named-block-nodes")));
    }

    @Test
    void driveFilenamePrefixAndFormat() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
                "-drive", "file=blkdebug:$DIR/bd.conf:$DIR/a.raw,if=none,id=d0,format=raw",
                "-drive", "file=$DIR/b.raw,if=none,id=d1,format=blkdebug",
                "-drive", "file=blkdebug::$DIR/c.raw,if=ide,id=d2,format=raw,werror=stop",
                "-drive", "if=none,id=d3,driver=blkdebug,image.driver=file,image.filename=$DIR/d.raw,"
                        + "inject-error.0.event=read_aio,inject-error.0.errno=5,inject-error.0.once=on,"
                        + "inject-error.1.event=write_aio,inject-error.1.iotype=write,set-state.0.event=read_aio,"
                        + "set-state.0.new_state=2,align=512",
                "-drive", "if=none,id=d4,driver=blkdebug,image.filename=$DIR/e.raw",
                "-drive", "if=none,id=d5,driver=blkdebug,file=$DIR/f.raw,inject-error.0.event=flush_to_disk"),
                List.of(exec("qmp_capabilities"), exec("query-block"), exec("query-named-block-nodes"),
                        exec("query-blockstats"), exec("query-blockstats", "{\"query-nodes\":true}")));
    }

    private void compare(List<String> args, List<String> steps) throws Exception {
        List<List<String>> fromQemu = run(Processes::qemu, dir.resolve("qemu"), args, steps);
        List<List<String>> fromJqmp = run(Processes::jqmp, dir.resolve("jqmp"), args, steps);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (!fromQemu.get(i).equals(fromJqmp.get(i))) {
                mismatches.add(steps.get(i) + "\n   QEMU: " + fromQemu.get(i) + "\n   jqmp: " + fromJqmp.get(i));
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(fromQemu.get(1)).as("the scenario ran on QEMU").isNotEmpty();
    }

    private static List<List<String>> run(ScenarioSide.Starter starter, Path where, List<String> args,
                                          List<String> steps) throws Exception {
        Files.createDirectories(where);
        for (String name : List.of("a", "b", "c", "d", "e", "f")) {
            Files.write(where.resolve(name + ".raw"), new byte[1 << 20]);
        }
        Files.writeString(where.resolve("bd.conf"), "[inject-error]\nevent = \"read_aio\"\nerrno = \"28\"\n");
        return ScenarioSide.run(starter, where, args, (c, d) -> {
            List<List<String>> out = new ArrayList<>();
            for (String step : steps) {
                List<JsonObject> messages = c.step(step.replace("$DIR", d).getBytes(StandardCharsets.UTF_8));
                out.add(messages.stream().map(m -> Canonical.of(m).replace(d, "$DIR")
                        .replaceAll("#block[0-9]+", "#block")).toList());
            }
            return out;
        });
    }
}
