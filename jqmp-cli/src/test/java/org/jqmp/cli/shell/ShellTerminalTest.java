package org.jqmp.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmp.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jqmp shell} in a real terminal: tmux runs it (its own tmux server, on a socket of this test) against
 * {@code jqmp run} in a child JVM; keys go in with send-keys, the screen comes back with capture-pane.
 */
class ShellTerminalTest {
    private static final long WAIT_MILLIS = 30_000; // a bound on a hang, not a speed check

    @TempDir
    Path dir;

    private Process machine;
    private String tmuxSocket;
    private Path qmpSocket;

    @BeforeEach
    void startMachine() throws Exception {
        Assumptions.assumeTrue(onPath("tmux"), "tmux is not installed: the terminal test of jqmp shell is skipped");
        qmpSocket = dir.resolve("qmp.sock");
        List<String> run = java("run", "-qmp", "unix:" + qmpSocket + ",server=on,wait=off");
        machine = new ProcessBuilder(run).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile()).start();
        waitFor(() -> Files.exists(qmpSocket), "jqmp run's socket " + qmpSocket);
        tmuxSocket = "jqmp-shell-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void stop() throws Exception {
        if (tmuxSocket != null) {
            new ProcessBuilder("tmux", "-L", tmuxSocket, "kill-server").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        }
        if (machine != null) {
            machine.destroy();
            machine.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSessionWithCompletionEventsErrorsTransactionAndHistory() throws Exception {
        Path history = dir.resolve("history");
        Path log = dir.resolve("transcript.log");
        shell("-v", "--history", history.toString(), "-l", log.toString(), qmpSocket.toString());
        screenShows("(QEMU) ");

        keys("query-sta", "Tab");
        screenShows("(QEMU) query-status");
        keys("Enter");
        screenShows("\"status\": \"running\"");

        keys("set-action w", "Tab");
        screenShows("(QEMU) set-action watchdog=");
        keys("C-u", "stop", "Enter");
        screenShows("{\"execute\": \"stop\"}");
        screenShows("\"event\": \"STOP\"");

        // an event while a line is being typed: printed at once, the line kept below it
        keys("query-version");
        waitFor(() -> lastLine().equals("(QEMU) query-version"), "the typed line on the screen");
        assertThat(Main.execute(new String[] {"qmp", qmpSocket.toString(), "cont"},
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
        screenShows("\"event\": \"RESUME\"");
        waitFor(() -> lastLine().equals("(QEMU) query-version"), "the typed line kept below the event");
        keys("C-u");

        keys("closefd fdname=nope", "Enter");
        screenShows("error: GenericError: File descriptor named 'nope' not found");
        keys("stop oops", "Enter");
        screenShows("error: argument 'oops' is not key=value");
        // keys typed before JLine reads again are echoed raw by the terminal: wait for the fresh prompt
        waitFor(() -> lastLine().equals("(QEMU)"), "the next prompt");
        keys("Up");
        waitFor(() -> lastLine().equals("(QEMU) stop oops"), "the previous line recalled by Up");
        keys("C-u");

        keys("transaction(", "Enter");
        screenShows("TRANS> ");
        keys("block-dirty-bitmap-add node=d0 name=b0", "Enter", ")", "Enter");
        screenShows("{\"execute\": \"transaction\", \"arguments\": {\"actions\": [{\"type\": \"block-dirty-bitmap-add\"");
        // the machine serves transaction; the dirty-bitmap action is one jqmp does not have
        screenShows("error: GenericError: Action 'block-dirty-bitmap-add' is not supported by jqmp");

waitFor(() -> lastLine().equals("(QEMU)"), "the next prompt before Ctrl-D");
keys("C-d");
        screenShows("EXIT=0");
        assertThat(Files.readString(history)).contains("query-status", "stop", "closefd fdname=nope")
                .doesNotContain("set-action"); // dropped with Ctrl-U, never entered
        assertThat(Files.readString(log)).contains("query-status", "\"STOP\"");
    }

    @Test
    void hmpModePrettyAndALostConnection() throws Exception {
        // a directory as the history file: said plainly, and the session goes on without history
        shell("-H", "-p", "--history", dir.toString(), qmpSocket.toString());
        screenShows("jqmp shell: history file " + dir + " is not a readable, writable file: history not kept");
        screenShows("(QEMU) ");
        keys("info status", "Enter");
        screenShows("VM status: running");
        machine.destroy();
        screenShows("connection lost");
        screenShows("EXIT=1");
    }

    @Test
    void withoutNegotiationTheUserTypesQmpCapabilities() throws Exception {
        shell("-N", "-p", "--history", dir.resolve("h").toString(), qmpSocket.toString());
        screenShows("(QEMU) ");
        // still in capabilities negotiation mode: QEMU's refusal, said plainly
        keys("query-status", "Enter");
        screenShows("error: CommandNotFound: Expecting capabilities negotiation with 'qmp_capabilities'");
        waitFor(() -> lastLine().equals("(QEMU)"), "the next prompt");
        keys("qmp_capabilities", "Enter");
        screenShows("{\n    \"return\": {}\n}");
        waitFor(() -> lastLine().equals("(QEMU)"), "the next prompt");
        keys("query-status", "Enter");
        screenShows("{\n    \"return\": {\n        \"running\": true,\n");
        waitFor(() -> lastLine().equals("(QEMU)"), "the next prompt before Ctrl-D");
        keys("C-d");
        screenShows("EXIT=0");
    }

    @Test
    void againstTheRealQemuTransactionAndSchemaCompletion() throws Exception {
        Assumptions.assumeTrue(onPath("qemu-system-x86_64"),
                "qemu-system-x86_64 is not installed (Debian package qemu-system-x86): test skipped");
        Path socket = dir.resolve("qemu.sock");
        Process qemu = new ProcessBuilder("qemu-system-x86_64", "-M", "none", "-nodefaults", "-S", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off").redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            waitFor(() -> Files.exists(socket), "QEMU's socket " + socket);
            shell("--history", dir.resolve("h").toString(), socket.toString());
            screenShows("(QEMU) ");
            keys("blockdev-add cache.", "Tab", "Tab"); // QEMU's own schema: BlockdevCacheOptions' members
            screenShows("cache.no-flush=");
            keys("C-u", "transaction(", "Enter", "abort", "Enter", ")", "Enter");
            screenShows("error: GenericError: Transaction aborted using Abort action");
            keys("cont", "Enter");
            screenShows("\"event\": \"RESUME\"");
            waitFor(() -> lastLine().equals("(QEMU)"), "the next prompt before Ctrl-D");
            keys("C-d");
            screenShows("EXIT=0");
        } finally {
            qemu.destroy();
            qemu.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void noConnectionExitsOneWithAPlainMessage() {
        StringWriter err = new StringWriter();
        int exit = Main.execute(new String[] {"shell", dir.resolve("absent.sock").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("jqmp shell: " + dir.resolve("absent.sock") + ": ")
                .doesNotContain("Exception");
    }

    private void shell(String... args) throws Exception {
        List<String> command = java("shell");
        command.addAll(List.of(args));
        String line = String.join(" ", command.stream().map(ShellTerminalTest::quote).toList())
                + "; echo EXIT=$?; sleep 600";
        tmux("new-session", "-d", "-x", "200", "-y", "50", line);
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "0"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "0");
    }

    private String lastLine() throws Exception {
        List<String> lines = screen().lines().filter(l -> !l.isBlank()).toList();
        return lines.getLast().stripTrailing();
    }

    private void screenShows(String text) throws Exception {
        waitFor(() -> screen().contains(text), "'" + text + "' on the shell's screen");
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private void waitFor(Condition condition, String what) throws Exception {
        long end = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("no " + what + " after " + WAIT_MILLIS + " ms; screen:\n"
                        + (tmuxSocket == null ? "" : screen()) + "\njqmp run's log:\n"
                        + Files.readString(dir.resolve("run.log")));
            }
            Thread.sleep(50);
        }
    }

    private String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", tmuxSocket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** This JVM's java, on the test class path (target/classes and every dependency, JLine included). */
    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "org.jqmp.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
