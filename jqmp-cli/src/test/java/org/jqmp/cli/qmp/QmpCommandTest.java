package org.jqmp.cli.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmp.cli.Main;
import org.jqmp.json.Json;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.QmpServer;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jqmp qmp} through Main, against a jqmp server on a real Unix socket (and the real QEMU 7.2). */
class QmpCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run jqmp(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private QmpServer server(Path socket) throws Exception {
        QmpServer server = QmpServer.builder().build();
        server.start(List.of(new SocketChardevConfig("mon0", new SocketAddressConfig.Unix(socket), true, false, 0,
                "unix:" + socket + ",server=on")), List.of(new MonitorConfig("mon0", false)));
        return server;
    }

    @Test
    void printsTheReturnValueAsJsonAndExitsZero() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        try (QmpServer server = server(socket)) {
            Run run = jqmp("qmp", socket.toString(), "query-version");
            assertThat(run.exit()).isZero();
            JsonObject version = (JsonObject) Json.parse(run.out().strip());
            assertThat(version.get("qemu")).isInstanceOf(JsonObject.class);
            assertThat(run.err()).isEmpty();
            Run pretty = jqmp("qmp", "-p", socket.toString(), "query-yank");
            assertThat(pretty.out()).startsWith("[\n    {\n");
        }
    }

    @Test
    void errorReplyPrintsTheErrorObjectAndExitsOne() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        try (QmpServer server = server(socket)) {
            Run run = jqmp("qmp", socket.toString(), "closefd", "fdname=nope");
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.out().strip()).isEqualTo(
                    "{\"error\": {\"class\": \"GenericError\", \"desc\": \"File descriptor named 'nope' not found\"}}");
            assertThat(run.err()).contains("GenericError: File descriptor named 'nope' not found");
        }
    }

    @Test
    void argumentsGoThroughAsTypedJson() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        Path log = dir.resolve("session.log");
        try (QmpServer server = server(socket)) {
            Run run = jqmp("qmp", "-l", log.toString(), socket.toString(), "yank", "instances=[]");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out().strip()).isEqualTo("{}");
            assertThat(Files.readString(log)).contains("-> {\"execute\": \"yank\", \"arguments\": {\"instances\": []}");
            // yanking the monitor's own chardev drops the connection before any reply: a transport failure
            Run yanked = jqmp("qmp", socket.toString(), "yank", "instances=[{\"type\": \"chardev\", \"id\": \"mon0\"}]");
            assertThat(yanked.exit()).isEqualTo(1);
            assertThat(yanked.out()).isEmpty();
            assertThat(yanked.err()).contains("the server closed the connection");
        }
    }

    @Test
    void usageAndConnectionErrorsAreNamed() {
        Run bad = jqmp("qmp", dir.resolve("x").toString(), "query-status", "oops");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("argument 'oops' is not key=value");
        Run missing = jqmp("qmp", dir.resolve("nothing.sock").toString(), "query-status");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("nothing.sock");
        assertThat(jqmp("qmp").exit()).isEqualTo(2);
    }

    @Test
    void againstTheRealQemu() throws Exception {
        Assumptions.assumeTrue(onPath("qemu-system-x86_64"),
                "qemu-system-x86_64 is not installed (Debian package qemu-system-x86): test skipped");
        Path socket = dir.resolve("qemu.sock");
        Process qemu = new ProcessBuilder(new ArrayList<>(List.of("qemu-system-x86_64", "-M", "none", "-nodefaults",
                "-S", "-display", "none", "-qmp", "unix:" + socket + ",server=on,wait=off")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.out").toFile()).start();
        try {
            Run run = null;
            for (int i = 0; i < 200 && (run == null || run.exit() != 0); i++) { // until QEMU listens
                Thread.sleep(20);
                run = jqmp("qmp", socket.toString(), "query-status");
            }
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(((JsonObject) Json.parse(run.out().strip())).get("status"))
                    .isEqualTo(new JsonString("prelaunch"));
            Run error = jqmp("qmp", socket.toString(), "getfd", "fdname=x");
            assertThat(error.exit()).isEqualTo(1);
            assertThat(error.out()).contains("No file descriptor supplied via SCM_RIGHTS");
        } finally {
            qemu.destroy();
            qemu.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
