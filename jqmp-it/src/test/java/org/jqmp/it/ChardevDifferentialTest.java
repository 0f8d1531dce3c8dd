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

    static final String NEGOTIATE = "{\"execute\":\"qmp_capabilities\"}";

    static String exec(String command, String arguments) {
        return "{\"execute\":\"" + command + "\",\"arguments\":" + arguments + "}";
    }

    static String exec(String command) {
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

    /** Socket chardevs no monitor uses: filenames as peers come and go, the serial port's socket busy. */
    @Test
    void socketChardevsFollowTheirPeers() throws Exception {
        Path s0 = dir.resolve("s0.sock");
        Path serial = dir.resolve("serial.sock");
        List<String> args = args("-M", "pc", "-S", "-chardev", "socket,id=s0,path=" + s0 + ",server=on,wait=off",
                "-serial", "unix:" + serial + ",server=on,wait=off");
        assertThat(sockets(true, args, s0, serial)).isEqualTo(sockets(false, args, s0, serial));
    }

    private List<String> sockets(boolean qemu, List<String> args, Path s0, Path serial) throws Exception {
        Path socket = dir.resolve(qemu ? "qemu.sock" : "jqmp.sock");
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        process = qemu ? Processes.qemu(dir, all) : Processes.jqmp(dir, all);
        List<String> seen = new ArrayList<>();
        String query = exec("query-chardev");
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            c.step(NEGOTIATE.getBytes(StandardCharsets.UTF_8));
            seen.add(normal(c.step(query.getBytes(StandardCharsets.UTF_8)).getFirst()));
            try (var a = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(s0));
                 var b = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(serial))) {
                seen.add(awaitDisconnected(c, 0));
            }
            seen.add(awaitDisconnected(c, 2));
            seen.add(normal(c.step(exec("chardev-remove", "{\"id\":\"serial0\"}")
                    .getBytes(StandardCharsets.UTF_8)).getFirst()));
            seen.add(normal(c.step(exec("chardev-remove", "{\"id\":\"s0\"}")
                    .getBytes(StandardCharsets.UTF_8)).getFirst()));
            seen.add(String.valueOf(Files.exists(s0)));
        } finally {
            Processes.stop(process);
            process = null;
        }
        return seen.stream().map(t -> t.replace("jqmp.sock", "qemu.sock")).toList();
    }

    /** The server notices each peer on its own: ask until QEMU's form shows the expected disconnected count. */
    private static String awaitDisconnected(QmpConnection c, int count) throws Exception {
        String query = exec("query-chardev");
        for (int i = 0; i < 500; i++) {
            String now = normal(c.step(query.getBytes(StandardCharsets.UTF_8)).getFirst());
            if (now.split("disconnected:", -1).length - 1 == count) {
                return now;
            }
            Thread.sleep(10);
        }
        return "never " + count + " disconnected";
    }

    private static String backend(String type, String data) {
        return "{\"type\":\"" + type + "\",\"data\":" + data + "}";
    }

    private static String chardevAdd(String id, String type, String data) {
        return exec("chardev-add", "{\"id\":\"" + id + "\",\"backend\":" + backend(type, data) + "}");
    }

    private static String chardevChange(String id, String type, String data) {
        return exec("chardev-change", "{\"id\":\"" + id + "\",\"backend\":" + backend(type, data) + "}");
    }

    private String unix(String name, String more) {
        return "{\"addr\":{\"type\":\"unix\",\"data\":{\"path\":\"" + dir.resolve(name) + "\"}}" + more + "}";
    }

    /** chardev-add of every backend jqmp has, its checks and QEMU's texts; removal; yank instances. */
    @Test
    void chardevAddAndRemove() throws Exception {
        compare(args("-M", "none", "-S"),
                List.of(NEGOTIATE, chardevAdd("n1", "null", "{}"), chardevAdd("n1", "null", "{}"),
                        chardevAdd("compat_monitor0", "null", "{}"), chardevAdd("", "null", "{}"),
                        chardevAdd("p1", "pty", "{}"),
                        chardevAdd("f1", "file", "{\"out\":\"" + dir.resolve("no/such/f") + "\"}"),
                        chardevAdd("f2", "file", "{\"out\":\"" + dir.resolve("f2.log") + "\",\"append\":true}"),
                        chardevAdd("r1", "ringbuf", "{\"size\":3}"), chardevAdd("r2", "ringbuf", "{\"size\":-4}"),
                        chardevAdd("r3", "ringbuf", "{\"size\":4}"), chardevAdd("r4", "memory", "{}"),
                        chardevAdd("r5", "ringbuf", "{\"size\":0}"),
                        chardevAdd("s1", "socket", unix("s1.sock", ",\"wait\":false")),
                        chardevAdd("s2", "socket", unix("nobody.sock", ",\"server\":false")),
                        chardevAdd("s3", "socket", unix("nobody.sock", ",\"server\":false,\"wait\":true")),
                        chardevAdd("s4", "socket", unix("x.sock", ",\"reconnect\":1")),
                        chardevAdd("s5", "socket", unix("x.sock", ",\"tls-creds\":\"t0\"")),
                        chardevAdd("s6", "socket", unix("x.sock", ",\"server\":false,\"websocket\":true")),
                        chardevAdd("s7", "socket", "{\"addr\":{\"type\":\"inet\",\"data\":{\"host\":"
                                + "\"127.0.0.1\",\"port\":\"x\"}},\"server\":false}"),
                        chardevAdd("s8", "socket", unix("no/such/dir.sock", "")),
                        chardevAdd("s9", "socket", "{\"addr\":{\"type\":\"fd\",\"data\":{\"str\":\"nofd\"}}}"),
                        chardevAdd("co", "console", "{}"),
                        chardevAdd("m1", "mux", "{\"chardev\":\"nope\"}"),
                        chardevAdd("m1", "mux", "{\"chardev\":\"n1\"}"),
                        chardevAdd("m2", "mux", "{\"chardev\":\"n1\"}"),
                        chardevAdd("m3", "mux", "{\"chardev\":\"m1\"}"),
                        exec("query-chardev"), exec("query-yank"),
                        exec("chardev-remove", "{\"id\":\"n1\"}"), exec("chardev-remove", "{\"id\":\"m1\"}"),
                        exec("chardev-remove", "{\"id\":\"m3\"}"), exec("chardev-remove", "{\"id\":\"m1\"}"),
                        exec("chardev-remove", "{\"id\":\"n1\"}"), exec("chardev-remove", "{\"id\":\"s1\"}"),
                        exec("query-yank"), exec("query-chardev")));
    }

    /** chardev-change: an unused chardev is replaced (and lost when the new backend fails, as in QEMU 7.2). */
    @Test
    void chardevChange() throws Exception {
        compare(args("-M", "none", "-S"),
                List.of(NEGOTIATE, chardevAdd("n1", "null", "{}"), chardevChange("nope", "null", "{}"),
                        chardevChange("compat_monitor0", "null", "{}"), chardevChange("n1", "pty", "{}"),
                        exec("query-chardev"), chardevChange("n1", "ringbuf", "{\"size\":3}"),
                        exec("query-chardev"), chardevAdd("n2", "null", "{}"),
                        chardevAdd("m1", "mux", "{\"chardev\":\"n2\"}"),
                        chardevChange("m1", "null", "{}"), chardevChange("n2", "null", "{}"),
                        chardevChange("n3", "socket", unix("c.sock", "")), exec("query-chardev")));
    }

    /** chardev-change under a serial port of the pc: the port moves to the new backend, a failure keeps the old. */
    @Test
    void chardevChangeUnderASerialPort() throws Exception {
        compare(args("-M", "pc", "-S", "-chardev", "null,id=ser", "-serial", "chardev:ser"),
                List.of(NEGOTIATE, chardevChange("ser", "ringbuf", "{\"size\":3}"), exec("query-chardev"),
                        chardevChange("ser", "ringbuf", "{\"size\":8}"), exec("query-chardev"),
                        chardevChange("ser", "console", "{}"), chardevChange("ser", "pty", "{}"),
                        exec("query-chardev"), exec("chardev-remove", "{\"id\":\"ser\"}")));
    }

    /**
     * add_client with a chardev's name: a socket passed with getfd becomes a socket chardev's peer; yank breaks
     * it (the other end sees end of file) and the chardev is disconnected again. Same steps, same fds kinds.
     */
    @Test
    void addClientAttachesPassedSocketsAndYankBreaksThem() throws Exception {
        assertThat(addClient(false)).isEqualTo(addClient(true));
    }

    private List<String> addClient(boolean qemu) throws Exception {
        Path socket = dir.resolve(qemu ? "qemu.sock" : "jqmp.sock");
        List<String> all = args("-M", "none", "-S", "-qmp", "unix:" + socket + ",server=on,wait=off");
        process = qemu ? Processes.qemu(dir, all) : Processes.jqmp(dir, all);
        List<String> seen = new ArrayList<>();
        Path plain = Files.writeString(dir.resolve("plain"), "not a socket");
        try (QmpConnection c = QmpConnection.open(socket);
             var first = org.newsclub.net.unix.AFUNIXSocketPair.open();
             var second = org.newsclub.net.unix.AFUNIXSocketPair.open();
             var file = new java.io.FileInputStream(plain.toFile())) {
            c.readMessage();
            java.util.function.Function<String, String> step = text -> {
                try {
                    return normal(c.step(text.getBytes(StandardCharsets.UTF_8)).getFirst());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            String getfd = exec("getfd", "{\"fdname\":\"fa\"}");
            step.apply(NEGOTIATE);
            seen.add(step.apply(chardevAdd("n1", "null", "{}")));
            seen.add(step.apply(chardevAdd("s1", "socket", unix("s1.sock", ""))));
            seen.add(step.apply(exec("add_client", "{\"protocol\":\"s1\",\"fdname\":\"nofd\"}")));
            for (String protocol : List.of("nochardev", "n1", "spice", "@dbus-display", "compat_monitor0")) {
                seen.add(normal(c.stepWithFds(getfd.getBytes(StandardCharsets.UTF_8),
                        first.getSocket2().getFileDescriptor()).getFirst()));
                seen.add(step.apply(exec("add_client", "{\"protocol\":\"" + protocol + "\",\"fdname\":\"fa\"}")));
                seen.add(step.apply(exec("closefd", "{\"fdname\":\"fa\"}")));
            }
            seen.add(normal(c.stepWithFds(getfd.getBytes(StandardCharsets.UTF_8), file.getFD()).getFirst()));
            seen.add(step.apply(exec("add_client", "{\"protocol\":\"s1\",\"fdname\":\"fa\"}")));
            seen.add(normal(c.stepWithFds(getfd.getBytes(StandardCharsets.UTF_8),
                    first.getSocket2().getFileDescriptor()).getFirst()));
            seen.add(step.apply(exec("add_client", "{\"protocol\":\"s1\",\"fdname\":\"fa\"}")));
            seen.add(step.apply(exec("query-chardev")));
            seen.add(normal(c.stepWithFds(getfd.getBytes(StandardCharsets.UTF_8),
                    second.getSocket2().getFileDescriptor()).getFirst()));
            seen.add(step.apply(exec("add_client", "{\"protocol\":\"s1\",\"fdname\":\"fa\"}")));
            seen.add(step.apply(exec("query-yank")));
            seen.add(step.apply(exec("yank", "{\"instances\":[{\"type\":\"chardev\",\"id\":\"s1\"}]}")));
            seen.add("peer reads " + first.getSocket1().read(java.nio.ByteBuffer.allocate(8)));
            seen.add(awaitDisconnected(c, 1));
            seen.add(step.apply(exec("chardev-remove", "{\"id\":\"s1\"}")));
            seen.add(step.apply(exec("query-yank")));
        } finally {
            Processes.stop(process);
            process = null;
        }
        return seen.stream().map(t -> t.replace("jqmp.sock", "qemu.sock")).toList();
    }

    /**
     * A socket client with {@code reconnect}: added while nobody listens (it stays, disconnected), it connects
     * once a server appears, yank breaks the connection, and it comes back by itself.
     */
    @Test
    void yankBreaksAReconnectingClientThatComesBack() throws Exception {
        assertThat(reconnecting(false)).isEqualTo(reconnecting(true));
    }

    private List<String> reconnecting(boolean qemu) throws Exception {
        Path socket = dir.resolve(qemu ? "qemu.sock" : "jqmp.sock");
        Path server = dir.resolve("srv.sock");
        Files.deleteIfExists(server);
        List<String> all = args("-M", "none", "-S", "-qmp", "unix:" + socket + ",server=on,wait=off");
        process = qemu ? Processes.qemu(dir, all) : Processes.jqmp(dir, all);
        List<String> seen = new ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            java.util.function.Function<String, String> step = text -> {
                try {
                    return normal(c.step(text.getBytes(StandardCharsets.UTF_8)).getFirst());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            step.apply(NEGOTIATE);
            seen.add(step.apply(chardevAdd("c1", "socket", unix("srv.sock", ",\"server\":false,\"reconnect\":1"))));
            seen.add(step.apply(exec("query-chardev")));
            seen.add(step.apply(exec("query-yank")));
            try (var listener = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                listener.bind(java.net.UnixDomainSocketAddress.of(server));
                try (var first = listener.accept()) {
                    seen.add(awaitDisconnected(c, 0));
                    seen.add(step.apply(exec("yank", "{\"instances\":[{\"type\":\"chardev\",\"id\":\"c1\"}]}")));
                    seen.add("peer reads " + first.read(java.nio.ByteBuffer.allocate(8)));
                }
                try (var second = listener.accept()) {
                    seen.add(awaitDisconnected(c, 0));
                }
            }
            seen.add(step.apply(exec("chardev-remove", "{\"id\":\"c1\"}")));
            seen.add(step.apply(exec("query-yank")));
        } finally {
            Processes.stop(process);
            process = null;
        }
        return seen.stream().map(t -> sorted(t.replace("jqmp.sock", "qemu.sock"))).toList();
    }

    /** A chardev that cannot be opened ends the run as QEMU's does: same text (program name aside), status 1. */
    @Test
    void openFailuresEndTheRun() throws Exception {
        for (String chardev : List.of("file,id=f,path=" + dir.resolve("no/such/dir/f.log"),
                "socket,id=c,path=" + dir.resolve("nobody.sock"))) {
            List<String> args = args("-M", "none", "-S", "-chardev", chardev,
                    "-qmp", "unix:" + dir.resolve("m.sock") + ",server=on,wait=off");
            Process q = Processes.qemu(dir, args);
            assertThat(q.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).as("QEMU ends").isTrue();
            int qemuStatus = q.exitValue();
            String qemuErr = Files.readString(dir.resolve("qemu.err")).replace("qemu-system-x86_64: ", "");
            Process j = Processes.jqmp(dir, args);
            boolean ended = j.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            if (!ended) {
                Processes.stop(j);
            }
            assertThat(ended).as("jqmp ends").isTrue();
            int jqmpStatus = j.exitValue();
            String jqmpErr = Files.readString(dir.resolve("jqmp.err")).replace("jqmp: ", "");
            assertThat(jqmpErr).isEqualTo(qemuErr).contains(chardev);
            assertThat(jqmpStatus).isEqualTo(qemuStatus).isEqualTo(1);
        }
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
    static String normal(JsonObject message) {
        String text = Canonical.of(message).replaceAll("/dev/pts/[0-9]+", "/dev/pts/N");
        if (text.startsWith("{\"return\": [")) {
            return sorted(text);
        }
        if (text.startsWith("{\"return\": \"") && text.contains("\r\n")) {
            String body = text.substring("{\"return\": \"".length(), text.length() - 2);
            return "HMP: " + Arrays.stream(body.split("\r\n")).sorted().collect(Collectors.joining("|"));
        }
        return text;
    }

    /** A list reply's entries in sorted order (again after a socket name was replaced). */
    static String sorted(String text) {
        if (!text.startsWith("{\"return\": [")) {
            return text;
        }
        String body = text.substring("{\"return\": [".length(), text.length() - 2);
        return "{\"return\": [" + Arrays.stream(body.split("(?<=\\}), (?=\\{)")).sorted()
                .collect(Collectors.joining(", ")) + "]}";
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
