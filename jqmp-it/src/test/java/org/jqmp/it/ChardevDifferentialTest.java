package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine's chardevs and human-monitor-command against the real QEMU 7.2: both started with the same
 * command line and sent the same steps; every reply and event compared. QEMU lists its chardevs in the order
 * of a hash table (observed: neither creation nor name order), so query-chardev entries and {@code info chardev}
 * lines are compared as sorted lists; a pty's number and the monitor socket's name are masked.
 */
class ChardevDifferentialTest {
    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        Processes.stop(process);
    }

    private static final String NEGOTIATE = "{\"execute\":\"qmp_capabilities\"}";

    private static String exec(String command, String arguments) {
        return "{\"execute\":\"" + command + "\",\"arguments\":" + arguments + "}";
    }

    private static String exec(String command) {
        return "{\"execute\":\"" + command + "\"}";
    }

    private static String hmp(String line) {
        return exec("human-monitor-command", "{\"command-line\":\"" + line + "\"}");
    }

    private List<String> args(String... extra) {
        List<String> args = new ArrayList<>(List.of("-nodefaults", "-display", "none"));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    @Test
    void ringbufWriteReadAndRemove() throws Exception {
        compare(args("-M", "none", "-S", "-chardev", "null,id=n0", "-chardev", "ringbuf,id=r0,size=8",
                        "-chardev", "memory,id=r1", "-chardev", "file,id=f0,path=" + dir.resolve("f.log"),
                        "-chardev", "file,id=f1,path=" + dir.resolve("g.log") + ",append=on"),
                List.of(NEGOTIATE, exec("query-chardev"),
                        exec("ringbuf-write", "{\"device\":\"r0\",\"data\":\"hello world\"}"),
                        exec("ringbuf-read", "{\"device\":\"r0\",\"size\":3}"),
                        exec("ringbuf-read", "{\"device\":\"r0\",\"size\":100,\"format\":\"base64\"}"),
                        exec("ringbuf-read", "{\"device\":\"r0\",\"size\":100}"),
                        exec("ringbuf-write", "{\"device\":\"r1\",\"data\":\"\u00e9\u20ac x\"}"),
                        exec("ringbuf-read", "{\"device\":\"r1\",\"size\":4}"),
                        exec("ringbuf-read", "{\"device\":\"r1\",\"size\":1,\"format\":\"utf8\"}"),
                        exec("ringbuf-read", "{\"device\":\"r1\",\"size\":9}"),
                        exec("ringbuf-write", "{\"device\":\"r1\",\"data\":\"/w==\",\"format\":\"base64\"}"),
                        exec("ringbuf-read", "{\"device\":\"r1\",\"size\":9}"),
                        exec("ringbuf-write", "{\"device\":\"r1\",\"data\":\"Y Q==\",\"format\":\"base64\"}"),
                        exec("ringbuf-write", "{\"device\":\"r1\",\"data\":\"YQ\",\"format\":\"base64\"}"),
                        exec("ringbuf-read", "{\"device\":\"r1\",\"size\":9}"),
                        exec("ringbuf-read", "{\"device\":\"r1\",\"size\":0}"),
                        exec("ringbuf-read", "{\"device\":\"r1\",\"size\":-1}"),
                        exec("ringbuf-read", "{\"device\":\"n0\",\"size\":1}"),
                        exec("ringbuf-read", "{\"device\":\"zz\",\"size\":1}"),
                        exec("ringbuf-write", "{\"device\":\"f0\",\"data\":\"x\"}"),
                        exec("ringbuf-write", "{\"device\":\"r0\"}"),
                        exec("ringbuf-read", "{\"device\":\"r0\",\"size\":1,\"format\":\"hex\"}"),
                        exec("chardev-remove", "{\"id\":\"zz\"}"),
                        exec("chardev-remove", "{\"id\":\"compat_monitor0\"}"),
                        exec("chardev-remove", "{\"id\":\"n0\"}"),
                        exec("chardev-remove", "{\"id\":\"n0\"}"),
                        exec("chardev-remove", "{\"id\":\"r0\"}"),
                        exec("query-chardev"),
                        exec("ringbuf-read", "{\"device\":\"r0\",\"size\":1}")));
    }

    @Test
    void serialPortsOfThePcAreFrontEnds() throws Exception {
        compare(args("-M", "pc", "-S", "-chardev", "ringbuf,id=r0", "-serial", "chardev:r0", "-serial", "none",
                        "-serial", "null", "-chardev", "pty,id=p0"),
                List.of(NEGOTIATE, exec("query-chardev"), exec("chardev-remove", "{\"id\":\"r0\"}"),
                        exec("chardev-remove", "{\"id\":\"serial2\"}"), exec("chardev-remove", "{\"id\":\"p0\"}"),
                        exec("query-chardev")));
    }

    @Test
    void serialChardevsOfABareMachineStayClosed() throws Exception {
        compare(args("-M", "none", "-S", "-chardev", "null,id=n0", "-serial", "chardev:n0", "-serial", "null"),
                List.of(NEGOTIATE, exec("query-chardev"), exec("chardev-remove", "{\"id\":\"n0\"}"),
                        exec("query-chardev")));
    }

    @Test
    void humanMonitorCommands() throws Exception {
        compare(args("-M", "pc", "-S", "-name", "demo", "-chardev", "ringbuf,id=r0"),
                List.of(NEGOTIATE, hmp("info status"), hmp("info name"), hmp("info uuid"), hmp("info kvm"),
                        hmp("info mice"), hmp("info chardev"), hmp("cont"), hmp("  info   status  "), hmp("s"),
                        hmp("info status"), hmp("c"), hmp("system_reset"), hmp("system_powerdown"),
                        hmp("stop"), hmp("stop x"), hmp("info status x"), hmp("bogus"), hmp("info bogus"), hmp(""),
                        hmp("help stop"), hmp("help info status"), hmp("help bogus"),
                        exec("human-monitor-command", "{\"command-line\":\"info status\",\"cpu-index\":0}"),
                        exec("human-monitor-command", "{\"command-line\":\"info status\",\"cpu-index\":1}"),
                        exec("human-monitor-command", "{}"), exec("query-status")));
    }

    @Test
    void humanMonitorOfABareMachine() throws Exception {
        compare(args("-M", "none", "-uuid", "12345678-1234-1234-1234-123456789abc"),
                List.of(NEGOTIATE, hmp("info name"), hmp("info uuid"), hmp("info mice"), hmp("info status"),
                        hmp("stop"), hmp("info status"), hmp("cont"),
                        exec("human-monitor-command", "{\"command-line\":\"info status\",\"cpu-index\":0}")));
    }

    private void compare(List<String> args, List<String> steps) throws Exception {
        List<List<JsonObject>> fromQemu = run(true, args, steps);
        List<List<JsonObject>> fromJqmp = run(false, args, steps);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            List<String> want = fromQemu.get(i).stream().map(ChardevDifferentialTest::normal).toList();
            List<String> got = fromJqmp.get(i).stream().map(ChardevDifferentialTest::normal)
                    .map(s -> s.replace("jqmp.sock", "qemu.sock")).toList();
            if (!want.equals(got)) {
                mismatches.add(steps.get(i) + "\n   QEMU: " + want + "\n   jqmp: " + got);
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(fromQemu.get(1)).isNotEmpty();
    }

    /** Canonical text; a list reply and an HMP text are sorted (hash order in QEMU), pty numbers masked. */
    private static String normal(JsonObject message) {
        String text = Canonical.of(message).replaceAll("/dev/pts/[0-9]+", "/dev/pts/N");
        if (text.startsWith("{\"return\": [")) {
            String body = text.substring("{\"return\": [".length(), text.length() - 2);
            return "{\"return\": [" + Arrays.stream(body.split("(?<=\\}), (?=\\{)")).sorted()
                    .collect(Collectors.joining(", ")) + "]}";
        }
        if (text.startsWith("{\"return\": \"") && text.contains("\r\n")) {
            String body = text.substring("{\"return\": \"".length(), text.length() - 2);
            return "HMP: " + Arrays.stream(body.split("\r\n")).sorted().collect(Collectors.joining("|"));
        }
        return text;
    }

    private List<List<JsonObject>> run(boolean qemu, List<String> args, List<String> steps) throws Exception {
        Path socket = dir.resolve(qemu ? "qemu.sock" : "jqmp.sock");
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        process = qemu ? Processes.qemu(dir, all) : Processes.jqmp(dir, all);
        List<List<JsonObject>> out = new ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            for (String step : steps) {
                out.add(c.step(step.getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            Processes.stop(process);
            process = null;
        }
        return out;
    }
}
