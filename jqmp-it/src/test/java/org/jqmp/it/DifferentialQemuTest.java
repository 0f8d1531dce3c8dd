package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real QEMU 7.2 ({@code -M none -nodefaults -S -display none}) and jqmp with the same command line,
 * sends both the same bytes, and compares everything they answer, step by step, member order included
 * (timestamps and version masked).
 */
class DifferentialQemuTest {
    @TempDir
    Path dir;

    private Process qemu;
    private Process jqmp;

    @AfterEach
    void stop() throws InterruptedException {
        Processes.stop(qemu);
        Processes.stop(jqmp);
    }

    /** Steps before negotiation, then the negotiation, then steps in command mode. */
    static final List<byte[]> BEFORE = steps(
            "{\"execute\":\"query-version\"}",
            "{\"execute\":\"no-such-cmd\",\"id\":1}",
            "{]",
            "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"no-such-cap\"]}}",
            "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":\"oob\"}}",
            "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[1]}}",
            "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"bogus\":1}}",
            "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]},\"id\":\"neg\"}");

    static final List<byte[]> AFTER = steps(
            "{\"execute\":\"qmp_capabilities\"}",
            "{\"execute\":\"query-version\",\"id\":\"cookie#1\"}",
            "{\"execute\":\"query-version\",\"id\":{\"a\":[1,2.5,null,true]}}",
            "{'execute':'query-version','id':'single-quoted \\' \"'}",
            "{\"execute\":\"query-version\",\"id\":[0.1,1.0,-0.0,1e300,1e-7,18446744073709551615,18446744073709551616,-9223372036854775808]}",
            "{\"execute\":\"query-version\",\"id\":\"\\u00e9\\ud83d\\ude00\\u0001\\/\\b\\f\\n\\r\\t\"}",
            "{\"execute\":\"query-yank\",\"id\":\"__qmp#00001\"}",
            "{\"exec-oob\":\"query-yank\",\"id\":\"oob-1\"}",
            "{\"exec-oob\":\"query-version\",\"id\":\"oob-2\"}",
            "{\"exec-oob\":\"query-yank\",\"execute\":\"query-yank\"}",
            "{\"execute\":\"query-yank\",\"exec-oob\":\"query-yank\"}",
            "{\"exec-oob\":1}",
            "{\"execute\":\"yank\",\"arguments\":{\"instances\":[{\"type\":\"chardev\",\"id\":\"nope\"}]}}",
            "{\"execute\":\"yank\",\"arguments\":{\"instances\":[]}}",
            "{\"execute\":\"yank\"}",
            "null", "[]", "42", "\"str\"", "{}", "{\"id\":\"only-id\"}", "{\"execute\":true}",
            "{\"execute\":\"query-version\",\"arguments\":[]}",
            "{\"execute\":\"query-version\",\"extra\":1,\"id\":3}",
            "{\"execute\":\"query-version\",\"arguments\":{\"x\":1}}",
            "{\"execute\":\"getfd\",\"arguments\":{}}",
            "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":5}}",
            "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"x\"}}",
            "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"x\",\"y\":1}}",
            "{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"nope\"}}",
            "{ \"execute\": }", "{\"execute\":\"query-version\",}", "{\"a\":1,\"a\":2}",
            "{\"execute\": \"query-version\" \"id\": 1}", "truer", "%%p", "nul", "[1e\n", "00", "{'abc':32,}",
            "[32,}", "{32:'abc'}", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "@", "}", "] {}",
            "{\"execute\":\"query-version\",\"id\":\"a\nb\"}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            "{\"execute\":\"query-version\"}{\"execute\":\"query-version\",\"id\":2}");

    static final List<byte[]> BYTES = List.of(
            new byte[] {'{', (byte) 0xFF},
            new byte[] {'{', 0x01},
            "{'bad \u00ff".getBytes(StandardCharsets.ISO_8859_1),
            new byte[] {'"', (byte) 0xC3, '"'},
            new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'},
            new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
            new byte[] {'{', '"', 'a', '"', ':', (byte) 0xFE, '}'},
            nested(1024), nested(1025), nested(2000));

    private static byte[] nested(int depth) {
        return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<byte[]> steps(String... texts) {
        List<byte[]> list = new ArrayList<>();
        for (String t : texts) {
            list.add(t.getBytes(StandardCharsets.UTF_8));
        }
        return list;
    }

    @Test
    void sameAnswersAsQemu72() throws Exception {
        Processes.assumeInstalled(Processes.QEMU, "qemu-system-x86");
        Path qemuSocket = dir.resolve("qemu.sock");
        Path jqmpSocket = dir.resolve("jqmp.sock");
        qemu = Processes.qemu(dir, args(qemuSocket));
        jqmp = Processes.jqmp(dir, args(jqmpSocket));
        List<String> mismatches = new ArrayList<>();
        try (QmpConnection q = QmpConnection.open(qemuSocket); QmpConnection j = QmpConnection.open(jqmpSocket)) {
            compare("greeting", List.of(q.readMessage()), List.of(j.readMessage()), mismatches);
            List<byte[]> all = new ArrayList<>(BEFORE);
            all.addAll(AFTER);
            all.addAll(BYTES);
            for (byte[] step : all) {
                String name = new String(step, StandardCharsets.ISO_8859_1);
                List<JsonObject> fromQemu = stepOrFail("QEMU", q, step, name);
                List<JsonObject> fromJqmp = stepOrFail("jqmp", j, step, name);
                compare(name, fromQemu, fromJqmp, mismatches);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    /** -qmp-pretty: the same multi-line layout, byte for byte (every line ends in CRLF). */
    @Test
    void samePrettyOutputAsQemu72() throws Exception {
        Processes.assumeInstalled(Processes.QEMU, "qemu-system-x86");
        Path qemuSocket = dir.resolve("qemu.sock");
        Path jqmpSocket = dir.resolve("jqmp.sock");
        qemu = Processes.qemu(dir, prettyArgs(qemuSocket));
        jqmp = Processes.jqmp(dir, prettyArgs(jqmpSocket));
        List<byte[]> probes = steps(
                "{\"execute\":\"qmp_capabilities\"}",
                "{\"execute\":\"query-yank\",\"id\":{\"a\":[1,{},[],{\"b\":[[]]}],\"c\":\"d\"}}",
                "{\"execute\":\"query-yank\",\"id\":[]}",
                "{\"execute\":\"query-yank\",\"id\":{}}",
                "{\"execute\":\"nope\",\"id\":[1,2]}",
                "{]", "null",
                "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":5}}");
        List<String> mismatches = new ArrayList<>();
        try (QmpConnection q = QmpConnection.open(qemuSocket); QmpConnection j = QmpConnection.open(jqmpSocket)) {
            q.stepPretty(new byte[0]); // the greetings (version differs: not compared here)
            j.stepPretty(new byte[0]);
            for (byte[] probe : probes) {
                List<String> want = q.stepPretty(probe);
                List<String> got = j.stepPretty(probe).stream().map(m -> m.replace("jqmp.sock", "qemu.sock")).toList();
                if (!want.equals(got)) {
                    mismatches.add(new String(probe, StandardCharsets.UTF_8) + "\n   QEMU: " + want + "\n   jqmp: " + got);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static List<String> prettyArgs(Path socket) {
        return List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                "-qmp-pretty", "unix:" + socket + ",server=on,wait=off");
    }

    private static List<JsonObject> stepOrFail(String server, QmpConnection c, byte[] step, String name)
            throws java.io.IOException {
        try {
            return c.step(step);
        } catch (java.io.IOException e) {
            throw new java.io.IOException(server + " gave no marker reply after step " + name, e);
        }
    }

    private static List<String> args(Path socket) {
        return List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off");
    }

    private static void compare(String step, List<JsonObject> qemu, List<JsonObject> jqmp, List<String> out) {
        List<String> want = qemu.stream().map(Canonical::of).toList();
        List<String> got = jqmp.stream().map(Canonical::of).map(s -> s.replace("jqmp.sock", "qemu.sock")).toList();
        if (!want.equals(got)) {
            out.add(step + "\n   QEMU: " + want + "\n   jqmp: " + got);
        }
    }
}
