package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jqmp run}'s process: its pid file while it runs, and how it ends. */
class RunLifecycleTest {
    @TempDir
    Path dir;

    private Process jqmp;
    private Process second;

    @AfterEach
    void stop() throws InterruptedException {
        Processes.stop(jqmp);
        Processes.stop(second);
    }

    @Test
    void pidFileHoldsThePidIsLockedAndGoesAwayOnQuit() throws Exception {
        Path socket = dir.resolve("p.sock");
        Path pidfile = dir.resolve("jqmp.pid");
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                "-pidfile", pidfile.toString(), "-qmp", "unix:" + socket + ",server=on,wait=off"));
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            assertThat(Files.readString(pidfile, StandardCharsets.US_ASCII)).isEqualTo(jqmp.pid() + "\n");

            Path otherDir = Files.createDirectory(dir.resolve("other"));
            second = Processes.jqmp(otherDir, List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                    "-pidfile", pidfile.toString(), "-qmp", "unix:" + dir.resolve("q.sock") + ",server=on,wait=off"));
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(Files.readString(otherDir.resolve("jqmp.err")))
                    .contains("jqmp: cannot create PID file: Cannot lock pid file: Resource temporarily unavailable");

            c.step("{\"execute\":\"qmp_capabilities\"}".getBytes(StandardCharsets.UTF_8));
            c.send("{\"execute\":\"quit\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(jqmp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(jqmp.exitValue()).isZero();
        assertThat(pidfile).doesNotExist();
    }

    /** -daemonize: the command returns 0 once the machine serves; the machine runs on in another process. */
    @Test
    void daemonizeReturnsOnceTheMachineServes() throws Exception {
        Path socket = dir.resolve("d.sock");
        Path pidfile = dir.resolve("d.pid");
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-S", "-display", "none", "-daemonize",
                "-pidfile", pidfile.toString(), "-qmp", "unix:" + socket + ",server=on,wait=off"));
        assertThat(jqmp.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jqmp.exitValue()).isZero();
        long daemonPid = Long.parseLong(Files.readString(pidfile, StandardCharsets.US_ASCII).strip());
        ProcessHandle daemon = ProcessHandle.of(daemonPid).orElseThrow();
        try {
            assertThat(daemonPid).isNotEqualTo(jqmp.pid());
            try (QmpConnection c = QmpConnection.open(socket)) {
                c.readMessage();
                c.step("{\"execute\":\"qmp_capabilities\"}".getBytes(StandardCharsets.UTF_8));
                assertThat(Canonical.of(c.step("{\"execute\":\"query-status\"}".getBytes(StandardCharsets.UTF_8))
                        .getFirst())).isEqualTo("{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}}");
                c.send("{\"execute\":\"quit\"}".getBytes(StandardCharsets.UTF_8));
                daemon.onExit().get(30, TimeUnit.SECONDS);
            }
            assertThat(pidfile).doesNotExist();
        } finally {
            daemon.destroy();
        }
    }

    /** A daemon that cannot start makes the command fail, with the error on the terminal. */
    @Test
    void daemonizeFailsWhenTheMachineCannotStart() throws Exception {
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-S", "-display", "none", "-daemonize",
                "-qmp", "unix:" + dir.resolve("nonexist/d.sock") + ",server=on,wait=off"));
        assertThat(jqmp.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jqmp.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("jqmp.err"))).contains("jqmp: ").contains("No such file or directory");
    }

    /** As QEMU 7.2 does on SIGTERM (observed): SHUTDOWN host-signal to every session, exit status 0. */
    @Test
    void sigtermShutsDownWithAnEventAndStatusZero() throws Exception {
        Path socket = dir.resolve("p.sock");
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-S", "-no-shutdown", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off"));
        List<String> received = new java.util.ArrayList<>();
        try (QmpConnection c = QmpConnection.open(socket)) {
            c.readMessage();
            c.step("{\"execute\":\"qmp_capabilities\"}".getBytes(StandardCharsets.UTF_8));
            jqmp.destroy();
            while (true) {
                try {
                    received.add(Canonical.of(c.readMessage()));
                } catch (java.io.IOException closed) {
                    break;
                }
            }
        }
        assertThat(received).containsExactly(
                "{\"timestamp\": <timestamp>, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-signal\"}}");
        assertThat(jqmp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(jqmp.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("jqmp.err"))).contains("jqmp: terminating on signal");
    }

    @Test
    void pidFileThatCannotBeCreatedIsRefusedAsQemuRefusesIt() throws Exception {
        Path pidfile = dir.resolve("nonexist/jqmp.pid");
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                "-pidfile", pidfile.toString()));
        assertThat(jqmp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(jqmp.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("jqmp.err")))
                .isEqualTo("jqmp: cannot create PID file: Could not create '" + pidfile + "': No such file or directory\n");
    }
}
