package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jqmp.it.ChardevDifferentialTest.NEGOTIATE;
import static org.jqmp.it.ChardevDifferentialTest.exec;
import static org.jqmp.it.ChardevDifferentialTest.normal;
import static org.jqmp.it.ChardevDifferentialTest.sorted;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multiplexed chardevs against the real QEMU 7.2, seen from a terminal: the bytes of the serial port / monitor
 * switching ({@code Ctrl-A}), QEMU's readline, a human monitor on a socket and on stdio (a real pty), and QMP on
 * a mux. Version strings are masked; everything else must be byte for byte the same.
 */
class MuxDifferentialTest {
    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        Processes.stop(process);
    }

    private List<String> args(String... extra) {
        List<String> args = new ArrayList<>(List.of("-nodefaults", "-display", "none"));
        args.addAll(Arrays.asList(extra));
        return args;
    }

    /**
     * A mux shared by the serial port and a human monitor, through a terminal on its socket: the focus starts on
     * the serial port, {@code Ctrl-A c} switches, the monitor edits lines as QEMU's readline does (same bytes),
     * {@code Ctrl-A h} helps, a new connection gets the banner, {@code Ctrl-A x} ends the process (status 0).
     */
    @Test
    void muxSharesASocketBetweenSerialPortAndHumanMonitor() throws Exception {
        assertThat(mux(false)).isEqualTo(mux(true));
    }

    private List<String> mux(boolean qemu) throws Exception {
        Path socket = dir.resolve(qemu ? "qemu.sock" : "jqmp.sock");
        Path mux = dir.resolve("mx.sock");
        List<String> all = args("-M", "pc", "-S", "-chardev", "socket,id=mx,path=" + mux + ",server=on,wait=off,mux=on",
                "-serial", "chardev:mx", "-mon", "chardev=mx,mode=readline", "-qmp",
                "unix:" + socket + ",server=on,wait=off");
        process = qemu ? Processes.qemu(dir, all) : Processes.jqmp(dir, all);
        List<String> seen = new ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            c.step(NEGOTIATE.getBytes(StandardCharsets.UTF_8));
            seen.add(normal(c.step(exec("query-chardev").getBytes(StandardCharsets.UTF_8)).getFirst()));
            seen.add(normal(c.step(exec("query-yank").getBytes(StandardCharsets.UTF_8)).getFirst()));
            try (Terminal t = new Terminal(mux)) {
                t.type("info status\r"); // the serial port has the focus: the monitor sees nothing
                seen.add(t.typeAndRead("\u0001c", "(qemu) "));
                seen.add(t.typeAndRead("info status\r", "(qemu) "));
                seen.add(t.typeAndRead("bogus\u007f\u007fx\r", "(qemu) "));
                seen.add(t.typeAndRead("\u0001c", "\r\n"));
                seen.add(t.typeAndRead("\u0001h", "C-a C-a  sends C-a\n\r"));
                seen.add(t.typeAndRead("\u0001c", "(qemu) "));
                seen.add(normal(c.step(exec("query-chardev").getBytes(StandardCharsets.UTF_8)).getFirst()));
            }
            try (Terminal t = new Terminal(mux)) {
                seen.add(t.read("(qemu) "));
                seen.add(t.typeAndRead("\u0001x", "QEMU: Terminated\n\r"));
            }
            seen.add("ended " + process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) + " status "
                    + process.exitValue());
        } finally {
            Processes.stop(process);
            process = null;
        }
        return seen.stream().map(t -> sorted(t.replace("jqmp.sock", "qemu.sock"))
                .replaceAll("QEMU 7\\.2\\.[0-9]+ monitor", "QEMU 7.2.x monitor")).toList();
    }

    /**
     * {@code -monitor unix:...}: a human monitor with a socket of its own. Each client is greeted (banner and
     * prompt) and edits lines as QEMU's readline does; a second client waits until the first leaves, then is
     * greeted; {@code query-chardev} shows the monitor's chardev.
     */
    @Test
    void humanMonitorOnASocketOfItsOwn() throws Exception {
        assertThat(monitorSocket(false)).isEqualTo(monitorSocket(true));
    }

    private List<String> monitorSocket(boolean qemu) throws Exception {
        Path socket = dir.resolve(qemu ? "qemu.sock" : "jqmp.sock");
        Path hmp = dir.resolve("hmp.sock");
        Files.deleteIfExists(hmp);
        List<String> all = args("-M", "none", "-S", "-monitor", "unix:" + hmp + ",server=on,wait=off", "-qmp",
                "unix:" + socket + ",server=on,wait=off");
        process = qemu ? Processes.qemu(dir, all) : Processes.jqmp(dir, all);
        List<String> seen = new ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            c.step(NEGOTIATE.getBytes(StandardCharsets.UTF_8));
            try (Terminal first = new Terminal(hmp)) {
                seen.add(first.read("(qemu) "));
                seen.add(first.typeAndRead("info status\r", "(qemu) "));
                seen.add(first.typeAndRead("cont\r", "(qemu) "));
                seen.add(first.typeAndRead("info staxx\u007f\u007ftus\r", "(qemu) "));
                // readline's keys: arrows, Ctrl-A/E, Backspace, Ctrl-W, Ctrl-D, Home/End/Delete, the history
                seen.add(first.typeAndRead("abc\u001b[D\u001b[DX\u0001Y\u0005\u007f\r", "(qemu) "));
                seen.add(first.typeAndRead("info st x\u0017\u0017\u0017stat\u001b[D\u001b[D\u0004\r", "(qemu) "));
                seen.add(first.typeAndRead("abcd\u001b[1~\u001b[3~\u001bOF\u001b[4~\u001bOHz\u001b[C\r", "(qemu) "));
                seen.add(first.typeAndRead("\u001b[A\u001b[A\u001b[A\u001b[B\u0010\u000e\u000e\u000e\u001b[A\r",
                        "(qemu) "));
                seen.addAll(events(c.step(exec("query-chardev").getBytes(StandardCharsets.UTF_8))));
                try (Terminal second = new Terminal(hmp)) {
                    first.close(); // the second client is served once the first has gone
                    seen.add(second.read("(qemu) "));
                    seen.add(second.typeAndRead("stop\r", "(qemu) "));
                    seen.addAll(events(c.step(exec("query-status").getBytes(StandardCharsets.UTF_8))));
                }
            }
        } finally {
            Processes.stop(process);
            process = null;
        }
        return seen.stream().map(t -> sorted(t.replace("jqmp.sock", "qemu.sock"))
                .replaceAll("QEMU 7\\.2\\.[0-9]+ monitor", "QEMU 7.2.x monitor")).toList();
    }

    /**
     * {@code logfile}: a human monitor's socket chardev keeps a copy of everything the monitor wrote (not what was
     * typed); {@code logappend=on} keeps what the file had; chardev-add opens a log too, and names a log it cannot
     * create.
     */
    @Test
    void logfileKeepsWhatTheFrontEndWrote() throws Exception {
        assertThat(logfile(false)).isEqualTo(logfile(true));
    }

    private List<String> logfile(boolean qemu) throws Exception {
        Path socket = dir.resolve(qemu ? "qemu.sock" : "jqmp.sock");
        Path hmp = dir.resolve("hmp.sock");
        Path log = dir.resolve("hmp.log");
        Path nullLog = dir.resolve("null.log");
        Files.deleteIfExists(hmp);
        Files.deleteIfExists(log);
        Files.writeString(nullLog, "kept\n");
        List<String> all = args("-M", "none", "-S", "-chardev", "socket,id=h,path=" + hmp + ",server=on,wait=off,logfile="
                + log, "-mon", "chardev=h", "-chardev", "null,id=n,logfile=" + nullLog + ",logappend=on", "-qmp",
                "unix:" + socket + ",server=on,wait=off");
        process = qemu ? Processes.qemu(dir, all) : Processes.jqmp(dir, all);
        List<String> seen = new ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            c.step(NEGOTIATE.getBytes(StandardCharsets.UTF_8));
            try (Terminal t = new Terminal(hmp)) {
                t.read("(qemu) ");
                t.typeAndRead("info status\r", "(qemu) ");
            }
            seen.addAll(events(c.step(("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"r\", \"backend\": "
                    + "{\"type\": \"ringbuf\", \"data\": {\"logfile\": \"" + dir.resolve("ring.log") + "\"}}}}")
                    .getBytes(StandardCharsets.UTF_8))));
            seen.addAll(events(c.step(("{\"execute\": \"ringbuf-write\", \"arguments\": {\"device\": \"r\", "
                    + "\"data\": \"typed\"}}").getBytes(StandardCharsets.UTF_8))));
            seen.addAll(events(c.step(("{\"execute\": \"chardev-add\", \"arguments\": {\"id\": \"n2\", \"backend\": "
                    + "{\"type\": \"null\", \"data\": {\"logfile\": \"" + dir.resolve("no/such/dir.log") + "\"}}}}")
                    .getBytes(StandardCharsets.UTF_8))).stream().map(t -> t.replace(dir.toString(), "DIR")).toList());
        } finally {
            Processes.stop(process);
            process = null;
        }
        seen.add("hmp.log: " + Files.readString(log, StandardCharsets.ISO_8859_1)
                .replaceAll("QEMU 7\\.2\\.[0-9]+ monitor", "QEMU 7.2.x monitor"));
        seen.add("null.log: " + Files.readString(nullLog));
        seen.add("ring.log: " + Files.readString(dir.resolve("ring.log")));
        Files.delete(dir.resolve("ring.log"));
        return seen;
    }

    /** The messages of a step: events by name (their timestamps differ), the reply in full. */
    private static List<String> events(List<org.jqmp.json.JsonObject> messages) {
        return messages.stream().map(m -> m.get("event") instanceof org.jqmp.json.JsonString name
                ? "event " + name.value() : normal(m)).toList();
    }

    /**
     * {@code -serial mon:stdio} on a real terminal ({@code script} gives each process a pty): the raw mode, one
     * banner, the monitor's lines with the terminal's own CR added, {@code Ctrl-A x}. Keys are typed once the QMP
     * socket exists, which both create after their chardevs.
     */
    @Test
    void monStdioOnARealTerminal() throws Exception {
        Processes.assumeInstalled("script", "util-linux");
        assertThat(monStdio(false)).isEqualTo(monStdio(true));
    }

    private List<String> monStdio(boolean qemu) throws Exception {
        return onTerminal(qemu, List.of("-M", "pc", "-serial", "mon:stdio"), List.of(
                new String[] {"\u0001c", "(qemu) "}, new String[] {"info status\r", "(qemu) "},
                new String[] {"\u0001c", "\r\n"}, new String[] {"\u0001x", "QEMU: Terminated\r\n\r"}));
    }

    /**
     * {@code -monitor stdio} on a real terminal: the monitor greets at start, reads lines in raw mode, and its
     * {@code quit} ends the process.
     */
    @Test
    void monitorStdioOnARealTerminal() throws Exception {
        Processes.assumeInstalled("script", "util-linux");
        List<String[]> steps = List.of(new String[] {"", "(qemu) "}, new String[] {"info status\r", "(qemu) "},
                new String[] {"info nam\u007fme\r", "(qemu) "}, new String[] {"quit\r", "\u0000(to the end)"});
        List<String> options = List.of("-M", "none", "-name", "guest7", "-monitor", "stdio");
        assertThat(onTerminal(false, options, steps)).isEqualTo(onTerminal(true, options, steps));
    }

    /**
     * Runs the machine with {@code options} on a real terminal ({@code script} gives it a pty), and for each step
     * types its keys and reads the screen up to its ending (or to the end); the first read starts at the banner.
     */
    private List<String> onTerminal(boolean qemu, List<String> options, List<String[]> steps) throws Exception {
        Path socket = dir.resolve(qemu ? "qemu.sock" : "jqmp.sock");
        List<String> command = new ArrayList<>(qemu ? List.of(Processes.QEMU) : List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "org.jqmp.cli.Main", "run"));
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of("-S", "-qmp", "unix:" + socket + ",server=on,wait=off"));
        command.addAll(args(all.toArray(String[]::new)));
        if (qemu) {
            Processes.assumeInstalled(Processes.QEMU, "qemu-system-x86");
        }
        process = new ProcessBuilder("script", "-qfec", String.join(" ", command), "/dev/null")
                .directory(dir.toFile()).redirectError(dir.resolve("script.err").toFile()).start();
        List<String> seen = new ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            var keys = process.getOutputStream();
            var screen = process.getInputStream();
            for (String[] step : steps) {
                keys.write(step[0].getBytes(StandardCharsets.ISO_8859_1));
                keys.flush();
                StringBuilder text = new StringBuilder();
                while (!text.toString().endsWith(step[1])) {
                    int b = screen.read();
                    if (b < 0) {
                        text.append("<EOF>");
                        break;
                    }
                    text.append((char) b);
                }
                seen.add(seen.isEmpty() ? text.toString().replaceAll("(?s)^.*?(QEMU 7)", "$1") : text.toString());
            }
            seen.add("ended " + process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) + " status "
                    + process.exitValue());
        } finally {
            Processes.stop(process);
            process = null;
        }
        return seen.stream().map(t -> t.replaceAll("QEMU 7\\.2\\.[0-9]+ monitor", "QEMU 7.2.x monitor")).toList();
    }

    /**
     * QMP on a mux shared with the serial port: every connection greets (a new session), and QMP reads once it
     * has the focus (Ctrl-A c). Where the focus is after a reconnection depends, in QEMU, on the earlier session
     * (observed: it stayed with QMP after an unnegotiated session, not after a negotiated one), so it is left out.
     */
    @Test
    void qmpOnAMuxGreetsEachConnectionAndReadsWithTheFocus() throws Exception {
        assertThat(qmpOnMux(false)).isEqualTo(qmpOnMux(true));
    }

    private List<String> qmpOnMux(boolean qemu) throws Exception {
        Path mux = dir.resolve("qmx.sock");
        Files.deleteIfExists(mux);
        List<String> all = args("-M", "pc", "-S", "-chardev", "socket,id=mx,path=" + mux + ",server=on,wait=off,mux=on",
                "-mon", "chardev=mx,mode=control", "-serial", "chardev:mx");
        process = qemu ? Processes.qemu(dir, all) : Processes.jqmp(dir, all);
        List<String> seen = new ArrayList<>();
        try {
            try (Terminal t = new Terminal(mux)) {
                seen.add(t.read("\r\n").replaceAll("\"micro\": [0-9]+|\"package\": \"[^\"]*\"", "V"));
                // the serial port has the focus; Ctrl-A c gives it to QMP (bytes typed to the serial port are
                // left out: with the guest stopped QEMU's UART fills and holds them back)
                seen.add(t.typeAndRead("\u0001c" + NEGOTIATE, "\r\n"));
                seen.add(t.typeAndRead(exec("query-status"), "\r\n"));
            }
            try (Terminal t = new Terminal(mux)) { // a new connection: a new session, which greets
                seen.add(t.read("\r\n").replaceAll("\"micro\": [0-9]+|\"package\": \"[^\"]*\"", "V"));
            }
        } finally {
            Processes.stop(process);
            process = null;
        }
        return seen;
    }

    /** A terminal on a Unix socket: what arrives up to an expected ending (a read never waits past 20 s). */
    static final class Terminal implements AutoCloseable {
        private final org.newsclub.net.unix.AFUNIXSocket socket;

        /** Connects, retrying while the server starts (up to 20 s, as {@link QmpConnection#open}). */
        Terminal(Path path) throws Exception {
            long deadline = System.nanoTime() + 20_000_000_000L;
            org.newsclub.net.unix.AFUNIXSocket connected = null;
            while (connected == null) {
                try {
                    connected = org.newsclub.net.unix.AFUNIXSocket.connectTo(
                            org.newsclub.net.unix.AFUNIXSocketAddress.of(path));
                } catch (java.net.SocketException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
            socket = connected;
            socket.setSoTimeout(20_000);
        }

        void type(String keys) throws Exception {
            socket.getOutputStream().write(keys.getBytes(StandardCharsets.ISO_8859_1));
        }

        String typeAndRead(String keys, String ending) throws Exception {
            type(keys);
            return read(ending);
        }

        String read(String ending) throws Exception {
            StringBuilder text = new StringBuilder();
            while (!text.toString().endsWith(ending)) {
                int b = socket.getInputStream().read();
                if (b < 0) {
                    return text + "<EOF>";
                }
                text.append((char) b);
            }
            return text.toString();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
