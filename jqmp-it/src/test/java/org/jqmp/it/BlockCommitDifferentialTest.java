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
 * block-commit against the real QEMU 7.2: each side gets its own directory with the same chain (base, mid, top,
 * written by qemu-io) and the same command line, is sent the same steps, and every reply and event is compared.
 * A job's events come partly after its reply (from the job's thread), so for a step that starts or ends a job the
 * events are compared as a sequence of their own, until the one the step waits for, and the reply beside them.
 * Masked: the directory, automatic node names and {@code actual-size}.
 */
class BlockCommitDifferentialTest {
    @TempDir
    Path dir;

    /** One step: a command, and the event (a substring) after which its effects are complete, or null. */
    private record Step(String command, String until) {
    }

    private static Step exec(String command, String arguments) {
        return new Step("{\"execute\":\"" + command + "\",\"arguments\":" + arguments + "}", null);
    }

    private static Step exec(String command) {
        return new Step("{\"execute\":\"" + command + "\"}", null);
    }

    private static Step until(Step step, String event) {
        return new Step(step.command(), event);
    }

    private static final List<String> ARGS = List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
            "-drive", "file=$DIR/top.qcow2,id=disk0", "-drive", "if=ide,media=cdrom,id=cd0");

    private static final String NULL_EVENT = "\"status\": \"null\"";

    @Test
    void theErrorsOfBlockCommit() throws Exception {
        compare(List.of(exec("qmp_capabilities"),
                exec("block-commit", "{\"device\":\"nope\"}"),
                exec("block-commit", "{\"device\":\"cd0\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"top\":\"$DIR/nope.qcow2\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"base\":\"$DIR/nope.qcow2\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"base\":\"$DIR/mid.qcow2\",\"base-node\":\"x\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"top\":\"$DIR/mid.qcow2\",\"top-node\":\"x\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"top\":\"$DIR/mid.qcow2\",\"base\":\"$DIR/mid.qcow2\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"top\":\"$DIR/base.qcow2\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"top\":\"$DIR/mid.qcow2\",\"base\":\"$DIR/top.qcow2\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"top-node\":\"nope\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"base-node\":\"nope\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"base-node\":\"disk0\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"job-id\":\"bad id\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"speed\":-1}"),
                exec("block-commit", "{\"device\":\"disk0\",\"backing-file\":\"x.qcow2\"}"),
                exec("block-job-complete", "{\"device\":\"nope\"}"), exec("block-job-cancel", "{\"device\":\"nope\"}"),
                exec("block-job-pause", "{\"device\":\"nope\"}"), exec("block-job-dismiss", "{\"id\":\"nope\"}"),
                exec("job-complete", "{\"id\":\"nope\"}"), exec("job-cancel", "{\"id\":\"nope\"}"),
                exec("job-pause", "{\"id\":\"nope\"}"), exec("job-finalize", "{\"id\":\"nope\"}"),
                exec("query-block-jobs"), exec("query-jobs")));
    }

    /** Intermediate commit of mid into base, then an active commit of top into base, completed: the pivot. */
    @Test
    void intermediateThenActiveCommitWithComplete() throws Exception {
        compare(List.of(exec("qmp_capabilities"),
                until(exec("block-commit", "{\"device\":\"disk0\",\"top\":\"$DIR/mid.qcow2\"}"), NULL_EVENT),
                exec("query-block"), exec("query-block-jobs"),
                until(exec("block-commit", "{\"device\":\"disk0\",\"job-id\":\"j1\"}"), "BLOCK_JOB_READY"),
                exec("query-block-jobs"), exec("query-jobs"),
                exec("block-commit", "{\"device\":\"disk0\",\"job-id\":\"j2\"}"),
                exec("block-stream", "{\"device\":\"disk0\"}"),
                exec("block-commit", "{\"device\":\"disk0\",\"job-id\":\"j1\"}"),
                exec("job-dismiss", "{\"id\":\"j1\"}"), exec("job-finalize", "{\"id\":\"j1\"}"),
                exec("block-job-pause", "{\"device\":\"j1\"}"), exec("query-block-jobs"),
                exec("block-job-complete", "{\"device\":\"j1\"}"),
                until(exec("block-job-resume", "{\"device\":\"j1\"}"), NULL_EVENT),
                exec("job-resume", "{\"id\":\"j1\"}"), exec("block-job-complete", "{\"device\":\"j1\"}"),
                exec("query-block"), exec("query-block-jobs")));
    }

    /** A ready active commit cancelled: QEMU ends it with BLOCK_JOB_COMPLETED and keeps the chain. */
    @Test
    void cancellingAReadyActiveCommit() throws Exception {
        compare(List.of(exec("qmp_capabilities"),
                until(exec("block-commit", "{\"device\":\"disk0\",\"base\":\"$DIR/mid.qcow2\","
                        + "\"auto-dismiss\":false}"), "BLOCK_JOB_READY"),
                until(exec("block-job-cancel", "{\"device\":\"disk0\"}"), "\"status\": \"concluded\""),
                exec("query-jobs"), exec("block-job-dismiss", "{\"id\":\"disk0\"}"),
                exec("query-block"), exec("query-jobs")));
    }

    /** A chain of -blockdev nodes, committed by node names: the committed node stays a named node. */
    @Test
    void blockdevChainByNodeNames() throws Exception {
        compare(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
                "-blockdev", "driver=qcow2,node-name=b,file.driver=file,file.filename=$DIR/base.qcow2",
                "-blockdev", "driver=qcow2,node-name=m,backing=b,file.driver=file,file.filename=$DIR/mid.qcow2",
                "-blockdev", "driver=qcow2,node-name=t,backing=m,file.driver=file,file.filename=$DIR/top.qcow2",
                "-device", "virtio-blk-pci,drive=t"), List.of(exec("qmp_capabilities"),
                exec("block-commit", "{\"device\":\"m\",\"job-id\":\"c0\"}"),
                until(exec("block-commit", "{\"device\":\"t\",\"top-node\":\"m\",\"base-node\":\"b\","
                        + "\"job-id\":\"c1\"}"), NULL_EVENT),
                exec("block-commit", "{\"device\":\"t\",\"top-node\":\"t\",\"base-node\":\"m\"}"),
                exec("block-commit", "{\"device\":\"t\",\"top-node\":\"b\",\"base-node\":\"b\"}"),
                until(exec("block-commit", "{\"device\":\"t\",\"job-id\":\"c2\"}"), "BLOCK_JOB_READY"),
                until(exec("job-complete", "{\"id\":\"c2\"}"), NULL_EVENT),
                exec("query-block")));
    }

    private void compare(List<Step> steps) throws Exception {
        compare(ARGS, steps);
    }

    private void compare(List<String> args, List<Step> steps) throws Exception {
        Processes.assumeInstalled("qemu-io", "qemu-utils");
        List<List<String>> fromQemu = run(Processes::qemu, dir.resolve("qemu"), args, steps);
        List<List<String>> fromJqmp = run(Processes::jqmp, dir.resolve("jqmp"), args, steps);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (!fromQemu.get(i).equals(fromJqmp.get(i))) {
                mismatches.add(steps.get(i).command() + "\n   QEMU: " + fromQemu.get(i) + "\n   jqmp: "
                        + fromJqmp.get(i));
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(fromQemu).as("the steps did something").anyMatch(m -> !m.isEmpty());
    }

    private static List<List<String>> run(ScenarioSide.Starter starter, Path where, List<String> args,
                                          List<Step> steps) throws Exception {
        Files.createDirectories(where);
        chain(where.toString());
        return ScenarioSide.run(starter, where, args, (c, d) -> {
            List<List<String>> out = new ArrayList<>();
            for (Step step : steps) {
                byte[] bytes = step.command().replace("$DIR", d).getBytes(StandardCharsets.UTF_8);
                out.add(step.until() == null
                        ? c.step(bytes).stream().map(m -> mask(Canonical.of(m), d)).toList()
                        : awaited(c, bytes, step.until(), d));
            }
            return out;
        });
    }

    /** The step's events in order, until the awaited one, then its reply. */
    private static List<String> awaited(QmpConnection c, byte[] bytes, String until, String d) throws Exception {
        c.send(bytes);
        List<String> events = new ArrayList<>();
        String reply = null;
        while (reply == null || events.stream().noneMatch(e -> e.contains(until))) {
            String m = mask(Canonical.of(c.readMessage()), d);
            if (m.contains("\"event\"")) {
                events.add(m);
            } else {
                reply = m;
            }
        }
        events.add("reply " + reply);
        return events;
    }

    private static String mask(String message, String dir) {
        return message.replace(dir, "$DIR")
                .replaceAll("\"timestamp\": \\{[^}]*\\}", "\"timestamp\": T")
                .replaceAll("#block[0-9]+", "#block")
                .replaceAll("\"actual-size\": [0-9]+", "\"actual-size\": N");
    }

    /** base: 7 at 0 (1 MiB); mid: 8 at 2 MiB (64 KiB); top: 9 at 4 MiB (64 KiB). */
    private static void chain(String d) throws Exception {
        run("qemu-img", "create", "-f", "qcow2", d + "/base.qcow2", "8M");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 7 0 1M", d + "/base.qcow2");
        run("qemu-img", "create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", d + "/mid.qcow2");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 8 2M 64k", d + "/mid.qcow2");
        run("qemu-img", "create", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", d + "/top.qcow2");
        run("qemu-io", "-f", "qcow2", "-c", "write -P 9 4M 64k", d + "/top.qcow2");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }
}
