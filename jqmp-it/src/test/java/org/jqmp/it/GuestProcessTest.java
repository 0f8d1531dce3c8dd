package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jqmp run}'s simulated guest as a process: its console on a serial port (a Unix socket chardev from
 * {@code -serial unix:...}, and a ringbuf typed into with {@code ringbuf-write}), every guest action typed
 * there, and the QMP events and run states that follow, as QEMU 7.2 has them.
 */
class GuestProcessTest {
    static final String PROMPT = "guest# ";
    static final String BOOTED = "Type 'help' for the commands.\r\n\r\n" + PROMPT;

    @TempDir
    Path dir;
    private Process jqmp;
    private QmpConnection qmp;
    private SocketChannel console;
    private final StringBuilder output = new StringBuilder();
    private final List<String> events = new ArrayList<>();
    private int outputMark;

    @AfterEach
    void stop() throws Exception {
        if (console != null) {
            console.close();
        }
        if (qmp != null) {
            qmp.close();
        }
        Processes.stop(jqmp);
    }

    private void start(List<String> options) throws Exception {
        List<String> args = new ArrayList<>(List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
                "-qmp", "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off",
                "-jqmp-guest", "boot-delay=100,watchdog-timeout=200"));
        args.addAll(options);
        jqmp = Processes.jqmp(dir, args);
        qmp = QmpConnection.open(dir.resolve("qmp.sock"));
        qmp.readMessage();
        assertThat(command("{\"execute\":\"qmp_capabilities\"}")).isEqualTo("{}");
    }

    private void connectConsole() throws Exception {
        console = SocketChannel.open(StandardProtocolFamily.UNIX);
        console.connect(UnixDomainSocketAddress.of(dir.resolve("console.sock")));
        // output while no peer is connected is dropped: wait until the chardev reports this one
        while (command("{\"execute\":\"query-chardev\"}").contains("disconnected:unix:")) {
            Thread.sleep(10);
        }
        connectReader();
    }

    private void connectReader() {
        Thread.ofVirtual().start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            try {
                while (console.read(buffer.clear()) >= 0) {
                    synchronized (output) {
                        output.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // closed
            }
        });
    }

    private void type(String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            console.write(buffer);
        }
    }

    /** Waits (at most 20 s) for the console to print {@code text} after what earlier waits consumed. */
    private String awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (output) {
            while (output.indexOf(text, outputMark) < 0) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("console output '%s' in: %s", text, output).isPositive();
                output.wait(Math.max(1, left / 1_000_000));
            }
            int end = output.indexOf(text, outputMark) + text.length();
            String seen = output.substring(outputMark, end);
            outputMark = end;
            return seen;
        }
    }

    /** Sends a command and returns its reply ({@code return} or {@code error}) as text; events are kept. */
    private String command(String json) throws IOException {
        return Canonical.of(call(json));
    }

    private JsonValue call(String json) throws IOException {
        qmp.send(json.getBytes(StandardCharsets.UTF_8));
        while (true) {
            JsonObject message = qmp.readMessage();
            if (message.get("event") != null) {
                events.add(event(message));
            } else {
                return message.get("return") != null ? message.get("return") : message.get("error");
            }
        }
    }

    private static String event(JsonObject message) {
        String name = ((JsonString) message.get("event")).value();
        JsonValue data = message.get("data");
        return data == null ? name : name + " " + Canonical.of(data);
    }

    /** Waits for exactly these events next, in this order. */
    private void awaitEvents(String... expected) throws IOException {
        while (events.size() < expected.length) {
            JsonObject message = qmp.readMessage();
            assertThat(message.get("event")).as("an event, not %s", Canonical.of(message)).isNotNull();
            events.add(event(message));
        }
        assertThat(events.subList(0, expected.length)).containsExactly(expected);
        events.subList(0, expected.length).clear();
    }

    private String status() throws IOException {
        return command("{\"execute\":\"query-status\"}");
    }

    private void contAndBoot() throws Exception {
        assertThat(command("{\"execute\":\"cont\"}")).isEqualTo("{}");
        awaitEvents("RESUME");
        awaitOutput("jqmp firmware: no disks; starting the built-in operating system\r\n");
        awaitOutput(BOOTED);
    }

    private static String state(String name) {
        return "{\"status\": \"" + name + "\", \"singlestep\": false, \"running\": "
                + (name.equals("running")) + "}";
    }

    /** Every guest-driven run state through the console, with -no-shutdown and pausing actions. */
    @Test
    void everyGuestActionThroughTheSerialConsole() throws Exception {
        start(List.of("-no-shutdown", "-action", "panic=pause", "-watchdog-action", "pause", "-device", "i6300esb",
                "-device", "pvpanic",
                "-serial", "unix:" + dir.resolve("console.sock") + ",server=on,wait=off"));
        connectConsole();
        assertThat(status()).isEqualTo(state("prelaunch"));
        contAndBoot();

        type("echo hello\n");
        awaitOutput("hello\r\n" + PROMPT);

        assertThat(command("{\"execute\":\"stop\"}")).isEqualTo("{}");
        awaitEvents("STOP");
        type("echo while stopped\n");
        assertThat(status()).isEqualTo(state("paused"));
        assertThat(command("{\"execute\":\"cont\"}")).isEqualTo("{}");
        awaitEvents("RESUME");
        awaitOutput("while stopped\r\n" + PROMPT);

        type("suspend\n");
        awaitEvents("SUSPEND");
        assertThat(status()).isEqualTo(state("suspended"));
        assertThat(command("{\"execute\":\"system_wakeup\"}")).isEqualTo("{}");
        awaitEvents("WAKEUP");
        awaitOutput("Resumed from suspend to RAM.\r\n" + PROMPT);
        assertThat(status()).isEqualTo(state("running"));

        type("panic\n");
        awaitEvents("GUEST_PANICKED {\"action\": \"pause\"}", "STOP");
        assertThat(status()).isEqualTo(state("guest-panicked"));
        assertThat(command("{\"execute\":\"system_reset\"}")).isEqualTo("{}");
        awaitEvents("RESET {\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
        assertThat(status()).isEqualTo(state("prelaunch"));
        contAndBoot();

        type("hang\n");
        awaitEvents("WATCHDOG {\"action\": \"pause\"}", "STOP");
        assertThat(status()).isEqualTo(state("watchdog"));
        assertThat(command("{\"execute\":\"system_reset\"}")).isEqualTo("{}");
        awaitEvents("RESET {\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
        contAndBoot();

        type("reboot\n");
        awaitEvents("RESET {\"guest\": true, \"reason\": \"guest-reset\"}");
        awaitOutput("jqmp firmware:");
        awaitOutput(BOOTED);

        assertThat(command("{\"execute\":\"system_powerdown\"}")).isEqualTo("{}");
        awaitEvents("POWERDOWN", "SHUTDOWN {\"guest\": true, \"reason\": \"guest-shutdown\"}", "STOP");
        assertThat(status()).isEqualTo(state("shutdown"));
        assertThat(command("{\"execute\":\"cont\"}"))
                .isEqualTo("{\"class\": \"GenericError\", \"desc\": \"Resetting the Virtual Machine is required\"}");
        assertThat(command("{\"execute\":\"system_reset\"}")).isEqualTo("{}");
        awaitEvents("RESET {\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
        contAndBoot();

        type("poweroff\n");
        awaitOutput("Powering off.\r\n");
        awaitEvents("SHUTDOWN {\"guest\": true, \"reason\": \"guest-shutdown\"}", "STOP");
        assertThat(status()).isEqualTo(state("shutdown"));
        assertThat(events).isEmpty();
    }

    /** Without -no-shutdown the guest's power-off ends the process, with status 0, as QEMU's does. */
    @Test
    void poweroffEndsTheProcess() throws Exception {
        start(List.of("-serial", "unix:" + dir.resolve("console.sock") + ",server=on,wait=off"));
        connectConsole();
        contAndBoot();
        type("poweroff\n");
        awaitEvents("SHUTDOWN {\"guest\": true, \"reason\": \"guest-shutdown\"}");
        assertThat(jqmp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(jqmp.exitValue()).isZero();
    }

    /**
     * The guest locks its CD-ROM's tray from the console: {@code eject} is then refused with QEMU's text and asks
     * the guest, which opens the tray (DEVICE_TRAY_MOVED); a disk workload started on the console makes the
     * drive's counters move in {@code query-blockstats}.
     */
    @Test
    void theGuestLocksTheTrayAndItsWorkloadMovesTheCounters() throws Exception {
        Processes.assumeInstalled("qemu-img", "qemu-utils");
        qemuImg("create", "-f", "qcow2", dir.resolve("disk0.qcow2").toString(), "64M");
        qemuImg("create", "-f", "raw", dir.resolve("cd.iso").toString(), "1M");
        start(List.of("-chardev", "ringbuf,id=con", "-serial", "chardev:con",
                "-drive", "file=" + dir.resolve("disk0.qcow2") + ",id=disk0",
                "-drive", "file=" + dir.resolve("cd.iso") + ",media=cdrom,id=cd0,format=raw"));
        assertThat(command("{\"execute\":\"cont\"}")).isEqualTo("{}");
        awaitEvents("RESUME");
        readRingbufUntil(BOOTED);
        command("{\"execute\":\"ringbuf-write\",\"arguments\":{\"device\":\"con\",\"data\":\"lock cd0\\n\"}}");
        readRingbufUntil(PROMPT);
        assertThat(command("{\"execute\":\"query-block\"}")).contains("\"device\": \"cd0\", \"locked\": true");
        assertThat(command("{\"execute\":\"eject\",\"arguments\":{\"device\":\"cd0\"}}"))
                .isEqualTo("{\"class\": \"GenericError\", \"desc\": \"Device 'cd0' is locked and force was not "
                        + "specified, wait for tray to open and try again\"}");
        awaitEvents("DEVICE_TRAY_MOVED {\"device\": \"cd0\", \"tray-open\": true, \"id\": "
                + "\"/machine/unattached/device[20]\"}"); // after the serial port, as in QEMU
        assertThat(command("{\"execute\":\"query-block\"}")).contains("\"device\": \"cd0\", \"locked\": false");
        command("{\"execute\":\"ringbuf-write\",\"arguments\":{\"device\":\"con\","
                + "\"data\":\"disk disk0 write rate=200 size=4096\\n\"}}");
        readRingbufUntil(PROMPT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!command("{\"execute\":\"query-blockstats\"}").matches(
                "(?s).*\"device\": \"disk0\".*?\"wr_bytes\": [1-9][0-9]*.*")) {
            assertThat(System.nanoTime()).as("disk0's wr_bytes moves").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * The guest's write workload fills a really full filesystem (a 1 MiB tmpfs the test mounts; root only):
     * BLOCK_IO_ERROR then STOP, {@code io-error}, io-status nospace; once the filesystem grows, {@code cont}
     * resumes and the guest writes on. And {@code fault} on the console stops the machine in
     * {@code internal-error}, which only {@code system_reset} leaves.
     */
    @Test
    void theGuestReachesIoErrorAndInternalError() throws Exception {
        Processes.assumeInstalled("qemu-img", "qemu-utils");
        Path fs = dir.resolve("fs");
        java.nio.file.Files.createDirectories(fs);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", fs.toString())
                .redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0,
                "cannot mount a size-limited tmpfs (needs root): " + why + "; the io-error test is skipped");
        try {
            qemuImg("create", "-f", "qcow2", fs.resolve("disk0.qcow2").toString(), "64M");
            start(List.of("-chardev", "ringbuf,id=con", "-serial", "chardev:con",
                    "-drive", "file=" + fs.resolve("disk0.qcow2") + ",id=disk0,werror=stop"));
            assertThat(command("{\"execute\":\"cont\"}")).isEqualTo("{}");
            awaitEvents("RESUME");
            readRingbufUntil(BOOTED);
            command("{\"execute\":\"ringbuf-write\",\"arguments\":{\"device\":\"con\","
                    + "\"data\":\"disk disk0 write rate=1000 size=65536\\n\"}}");
            JsonObject ioError = qmp.readMessage();
            assertThat(Canonical.of(ioError)).contains("\"event\": \"BLOCK_IO_ERROR\"")
                    .contains("\"nospace\": true").contains("\"action\": \"stop\"");
            awaitEvents("STOP");
            assertThat(status()).isEqualTo(state("io-error"));
            assertThat(command("{\"execute\":\"query-block\"}")).contains("\"io-status\": \"nospace\"");
            assertThat(new ProcessBuilder("mount", "-o", "remount,size=64m", fs.toString()).start().waitFor())
                    .isZero();
            assertThat(command("{\"execute\":\"cont\"}")).isEqualTo("{}");
            awaitEvents("RESUME");
            assertThat(command("{\"execute\":\"query-block\"}")).contains("\"io-status\": \"ok\"");
            assertThat(status()).isEqualTo(state("running"));
            command("{\"execute\":\"ringbuf-write\",\"arguments\":{\"device\":\"con\","
                    + "\"data\":\"disk disk0 idle\\nfault\\n\"}}");
            awaitEvents("STOP");
            assertThat(status()).isEqualTo(state("internal-error"));
            assertThat(command("{\"execute\":\"cont\"}")).contains("Resetting the Virtual Machine is required");
            assertThat(command("{\"execute\":\"system_reset\"}")).isEqualTo("{}");
            awaitEvents("RESET {\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
            assertThat(status()).isEqualTo(state("prelaunch"));
        } finally {
            Processes.stop(jqmp);
            jqmp = null;
            new ProcessBuilder("umount", "-l", fs.toString()).start().waitFor();
        }
    }

    /** A ringbuf console: ringbuf-write types, ringbuf-read shows what was typed and what the guest printed. */
    @Test
    void aRingbufConsoleOverQmp() throws Exception {
        start(List.of("-chardev", "ringbuf,id=con", "-serial", "chardev:con", "-no-reboot", "-no-shutdown"));
        assertThat(command("{\"execute\":\"cont\"}")).isEqualTo("{}");
        awaitEvents("RESUME");
        String seen = readRingbufUntil(BOOTED);
        assertThat(seen).startsWith("\r\njqmp firmware: no disks");
        assertThat(command("{\"execute\":\"ringbuf-write\",\"arguments\":{\"device\":\"con\","
                + "\"data\":\"echo over QMP\\n\"}}")).isEqualTo("{}");
        assertThat(readRingbufUntil(PROMPT)).isEqualTo("echo over QMP\nover QMP\r\n" + PROMPT);
        command("{\"execute\":\"ringbuf-write\",\"arguments\":{\"device\":\"con\",\"data\":\"cmVib290Cg==\","
                + "\"format\":\"base64\"}}"); // "reboot\n"
        awaitEvents("SHUTDOWN {\"guest\": true, \"reason\": \"guest-reset\"}", "STOP");
        assertThat(status()).isEqualTo(state("shutdown"));
    }

    private String readRingbufUntil(String text) throws Exception {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.indexOf(text) < 0) {
            assertThat(System.nanoTime()).as("ringbuf output '%s' in: %s", text, seen).isLessThan(deadline);
            seen.append(((JsonString) call("{\"execute\":\"ringbuf-read\",\"arguments\":{\"device\":\"con\","
                    + "\"size\":65536}}")).value());
            Thread.sleep(10);
        }
        return seen.toString();
    }

    /**
     * The firmware's reads as {@code query-blockstats} counts them, beside the real QEMU 7.2's SeaBIOS: the
     * empty qcow2 disk's boot sector, then the CD-ROM (as the fixture devices.jsonl shows).
     */
    @Test
    void theFirmwareReadsWhatSeaBiosReads() throws Exception {
        Processes.assumeInstalled("qemu-img", "qemu-utils");
        qemuImg("create", "-f", "qcow2", dir.resolve("disk0.qcow2").toString(), "64M");
        qemuImg("create", "-f", "raw", dir.resolve("cd.iso").toString(), "1M");
        Map<String, List<Long>> fromQemu = firmwareReads(true, "disk0.qcow2", 2);
        Map<String, List<Long>> fromJqmp = firmwareReads(false, "disk0.qcow2", 2);
        assertThat(fromJqmp).isEqualTo(fromQemu)
                .isEqualTo(Map.of("disk0", List.of(1L, 512L), "cd0", List.of(2L, 4096L)));
    }

    /** A disk with a boot signature boots: the CD-ROM keeps the one read SeaBIOS makes while setting it up. */
    @Test
    void aBootableDiskIsReadOnceAndTheCdromOnce() throws Exception {
        Processes.assumeInstalled("qemu-img", "qemu-utils");
        qemuImg("create", "-f", "raw", dir.resolve("boot.raw").toString(), "1M");
        qemuImg("create", "-f", "raw", dir.resolve("cd.iso").toString(), "1M");
        try (var file = java.nio.channels.FileChannel.open(dir.resolve("boot.raw"),
                java.nio.file.StandardOpenOption.WRITE)) {
            // jmp $ (a guest that spins), then the boot signature
            file.write(ByteBuffer.wrap(new byte[] {(byte) 0xeb, (byte) 0xfe}), 0);
            file.write(ByteBuffer.wrap(new byte[] {0x55, (byte) 0xaa}), 510);
        }
        Map<String, List<Long>> fromQemu = firmwareReads(true, "boot.raw,format=raw", 1);
        Map<String, List<Long>> fromJqmp = firmwareReads(false, "boot.raw,format=raw", 1);
        assertThat(fromJqmp).isEqualTo(fromQemu)
                .isEqualTo(Map.of("disk0", List.of(1L, 512L), "cd0", List.of(1L, 2048L)));
    }

    private void qemuImg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    /** The reads once disk0 has been read and cd0 {@code cdReads} times (or after 20 s). */
    private Map<String, List<Long>> firmwareReads(boolean qemu, String disk, long cdReads) throws Exception {
        Path socket = dir.resolve(qemu ? "q.sock" : "j.sock");
        List<String> args = List.of("-M", "pc", "-nodefaults", "-S", "-display", "none",
                "-drive", "file=" + dir.resolve(disk) + ",if=ide,id=disk0",
                "-drive", "file=" + dir.resolve("cd.iso") + ",if=ide,media=cdrom,id=cd0,format=raw",
                "-qmp", "unix:" + socket + ",server=on,wait=off");
        Process process = qemu ? Processes.qemu(dir, args) : Processes.jqmp(dir, args);
        try {
            qmp = QmpConnection.open(socket);
            qmp.readMessage();
            command("{\"execute\":\"qmp_capabilities\"}");
            command("{\"execute\":\"cont\"}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                Map<String, List<Long>> reads = reads();
                boolean done = reads.get("disk0").get(0) >= 1 && reads.get("cd0").get(0) >= cdReads;
                if (done || System.nanoTime() > deadline) {
                    return reads;
                }
                Thread.sleep(20);
            }
        } finally {
            qmp.close();
            qmp = null;
            Processes.stop(process);
        }
    }

    /** Each device's rd_operations and rd_bytes. */
    private Map<String, List<Long>> reads() throws IOException {
        Map<String, List<Long>> reads = new LinkedHashMap<>();
        for (JsonValue v : ((JsonArray) call("{\"execute\":\"query-blockstats\"}")).elements()) {
            JsonObject device = (JsonObject) v;
            JsonObject stats = (JsonObject) device.get("stats");
            reads.put(((JsonString) device.get("device")).value(), List.of(
                    ((JsonInt) stats.get("rd_operations")).value(), ((JsonInt) stats.get("rd_bytes")).value()));
        }
        return reads;
    }

    /**
     * The default machine (no monitor option): named demo, QMP and the guest's console on Unix sockets in
     * ./jqmp-state/demo (and QMP on 127.0.0.1:4444 when that port is free); the guest boots at once and a
     * power-down ends the process.
     */
    @Test
    void theDefaultMachineHasAConsoleBesideItsQmpSocket() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, "org.jqmp.cli.Main", "run")
                .directory(dir.toFile()).redirectOutput(dir.resolve("jqmp.out").toFile())
                .redirectError(dir.resolve("jqmp.err").toFile());
        jqmp = builder.start();
        Path sockets = dir.resolve("jqmp-state").resolve("demo");
        qmp = QmpConnection.open(sockets.resolve("qmp.sock"));
        qmp.readMessage();
        assertThat(command("{\"execute\":\"qmp_capabilities\"}")).isEqualTo("{}");
        assertThat(java.nio.file.Files.readString(dir.resolve("jqmp.err")))
                .contains("jqmp: guest console (serial port 0) on " + sockets.resolve("console.sock"))
                .contains("jqmp: connect with:  ./jqmp shell " + sockets.resolve("qmp.sock"));
        assertThat(command("{\"execute\":\"query-name\"}")).isEqualTo("{\"name\": \"demo\"}");
        console = SocketChannel.open(StandardProtocolFamily.UNIX);
        console.connect(UnixDomainSocketAddress.of(sockets.resolve("console.sock")));
        while (command("{\"execute\":\"query-chardev\"}").contains("disconnected:unix:")) {
            Thread.sleep(10);
        }
        connectReader();
        // the banner may have gone out before this client connected: ask until the OS answers
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
            assertThat(System.nanoTime()).as("the guest's answer; console: %s", output).isLessThan(deadline);
            type("echo ready\n");
            Thread.sleep(100);
        } while (!consoleHas("ready\r\n" + PROMPT));
        assertThat(command("{\"execute\":\"system_powerdown\"}")).isEqualTo("{}");
        awaitEvents("POWERDOWN", "SHUTDOWN {\"guest\": true, \"reason\": \"guest-shutdown\"}");
        assertThat(jqmp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(jqmp.exitValue()).isZero();
    }

    private boolean consoleHas(String text) {
        synchronized (output) {
            return output.indexOf(text) >= 0;
        }
    }
}
