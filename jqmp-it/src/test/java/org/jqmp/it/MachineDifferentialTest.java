package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine's commands and events against the real QEMU 7.2: both started with the same command line, sent
 * the same steps; every reply and event compared, member order included (timestamps and version masked, the
 * socket name mapped).
 */
class MachineDifferentialTest {
    @TempDir
    Path dir;

    private Process qemu;
    private Process jqmp;

    @AfterEach
    void stop() throws InterruptedException {
        Processes.stop(qemu);
        Processes.stop(jqmp);
    }

    private static final String NEGOTIATE = "{\"execute\":\"qmp_capabilities\"}";

    private static String exec(String command) {
        return "{\"execute\":\"" + command + "\"}";
    }

    private static String exec(String command, String arguments) {
        return "{\"execute\":\"" + command + "\",\"arguments\":" + arguments + "}";
    }

    private static List<String> base(String machine) {
        return List.of("-M", machine, "-nodefaults", "-display", "none");
    }

    @Test
    void bareMachineRunStatesAndQueries() throws Exception {
        List<String> args = new ArrayList<>(base("none"));
        args.add("-S");
        compare(args, List.of(NEGOTIATE,
                exec("query-status"), exec("query-name"), exec("query-uuid"), exec("query-kvm"), exec("query-mice"),
                exec("query-chardev"), exec("query-migrate"), exec("query-target"), exec("system_wakeup"),
                exec("stop"), exec("query-status"), exec("cont"), exec("cont"), exec("query-status"),
                exec("system_powerdown"), exec("system_reset"), exec("query-status"),
                exec("stop"), exec("stop"), exec("query-status"), exec("system_wakeup"),
                exec("system_reset"), exec("query-status"), exec("cont"),
                exec("set-action", "{\"reboot\":\"shutdown\",\"shutdown\":\"pause\"}"),
                exec("system_reset"), exec("query-status"), exec("cont"), exec("stop"), exec("query-status"),
                exec("system_reset"), exec("query-status"),
                exec("set-action", "{\"reboot\":\"reset\"}"), exec("system_reset"), exec("query-status"),
                exec("cont"), exec("query-status"),
                exec("set-action", "{\"panic\":\"bogus\"}"), exec("watchdog-set-action", "{\"action\":\"pause\"}"),
                exec("watchdog-set-action", "{}"), exec("stop", "{\"x\":1}"), exec("query-status")));
    }

    @Test
    void pcMachineWithNameAndUuid() throws Exception {
        List<String> args = new ArrayList<>(base("pc"));
        args.addAll(List.of("-S", "-m", "64", "-name", "demo", "-uuid", "12345678-1234-1234-1234-123456789ABC"));
        compare(args, List.of(NEGOTIATE,
                exec("query-status"), exec("query-name"), exec("query-uuid"), exec("query-mice"), exec("query-kvm"),
                exec("system_wakeup"), exec("cont"), exec("system_wakeup"), exec("system_reset"),
                exec("query-status"), exec("stop"), exec("system_powerdown"), exec("query-status"),
                exec("system_reset"), exec("query-status"), exec("cont"), exec("stop"), exec("query-status")));
    }

    @Test
    void noRebootNoShutdownTurnResetIntoAPausedShutdown() throws Exception {
        List<String> args = new ArrayList<>(base("none"));
        args.addAll(List.of("-S", "-no-reboot", "-no-shutdown"));
        compare(args, List.of(NEGOTIATE,
                exec("system_reset"), exec("query-status"), exec("cont"), exec("system_reset"),
                exec("query-status"), exec("cont"), exec("stop"), exec("system_reset"), exec("query-status"),
                exec("set-action", "{\"reboot\":\"reset\"}"), exec("system_reset"), exec("query-status"),
                exec("cont"), exec("query-status")));
    }

    /** query-machines: QEMU 7.2 lists 59 types; jqmp lists its two exactly as QEMU describes them. */
    @Test
    void machinesAreQemusEntries() throws Exception {
        List<List<JsonObject>> q = run(Processes::qemu, "qemu.sock", base("none"), List.of(NEGOTIATE, exec("query-machines")));
        List<List<JsonObject>> j = run(Processes::jqmp, "jqmp.sock", base("none"), List.of(NEGOTIATE, exec("query-machines")));
        List<String> qemuEntries = entries(q.get(1).getFirst());
        List<String> jqmpEntries = entries(j.get(1).getFirst());
        assertThat(jqmpEntries).hasSize(2);
        assertThat(qemuEntries).containsAll(jqmpEntries);
    }

    /** Without -no-shutdown, a reset with -no-reboot is a power-off: SHUTDOWN, the reply, then the process ends. */
    @Test
    void noRebootAloneEndsTheProcessAfterTheReply() throws Exception {
        List<String> args = new ArrayList<>(base("none"));
        args.add("-no-reboot");
        List<String> fromQemu = untilClosed(Processes::qemu, "qemu.sock", args);
        int qemuStatus = exitStatus(qemu);
        List<String> fromJqmp = untilClosed(Processes::jqmp, "jqmp.sock", args);
        assertThat(fromJqmp).isEqualTo(fromQemu);
        assertThat(fromQemu).containsExactly(
                "{\"timestamp\": <timestamp>, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-system-reset\"}}",
                "{\"return\": {}}");
        assertThat(exitStatus(jqmp)).isEqualTo(qemuStatus).isZero();
    }

    private List<String> untilClosed(Starter starter, String socketName, List<String> args) throws Exception {
        Path socket = dir.resolve(socketName);
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        Process process = starter.start(dir, all);
        if (socketName.startsWith("qemu")) {
            qemu = process;
        } else {
            jqmp = process;
        }
        List<String> received = new ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            c.step(NEGOTIATE.getBytes(StandardCharsets.UTF_8));
            c.send(exec("system_reset").getBytes(StandardCharsets.UTF_8));
            while (true) {
                try {
                    received.add(Canonical.of(c.readMessage()));
                } catch (IOException closed) {
                    return received;
                }
            }
        }
    }

    private static int exitStatus(Process process) throws InterruptedException {
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the process ends").isTrue();
        return process.exitValue();
    }

    private static List<String> entries(JsonObject reply) {
        List<String> list = new ArrayList<>();
        for (JsonValue v : ((JsonArray) reply.get("return")).elements()) {
            list.add(Canonical.of(v));
        }
        return list;
    }

    @FunctionalInterface
    interface Starter {
        Process start(Path dir, List<String> args) throws IOException;
    }

    private void compare(List<String> args, List<String> steps) throws Exception {
        List<List<JsonObject>> fromQemu = run(Processes::qemu, "qemu.sock", args, steps);
        List<List<JsonObject>> fromJqmp = run(Processes::jqmp, "jqmp.sock", args, steps);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            List<String> want = fromQemu.get(i).stream().map(Canonical::of).toList();
            List<String> got = fromJqmp.get(i).stream().map(Canonical::of)
                    .map(s -> s.replace("jqmp.sock", "qemu.sock")).toList();
            if (!want.equals(got)) {
                mismatches.add(steps.get(i) + "\n   QEMU: " + want + "\n   jqmp: " + got);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    /** Runs the steps on a fresh server; one list of messages per step (the greeting is read first). */
    private List<List<JsonObject>> run(Starter starter, String socketName, List<String> args, List<String> steps)
            throws Exception {
        Path socket = dir.resolve(socketName);
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        Process process = starter.start(dir, all);
        List<List<JsonObject>> out = new ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            for (String step : steps) {
                out.add(c.step(step.getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            Processes.stop(process);
        }
        return out;
    }
}
