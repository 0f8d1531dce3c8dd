package org.jqmp.cli.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jqmp.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jqmp nbd} as qemu-nbd is used: serve a file on a Unix socket, stop when the client has gone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NbdCommandTest {
    @TempDir
    Path dir;

    private static boolean installed(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(20);
        return true;
    }

    @Test
    void servesOneClientThenExits() throws Exception {
        assumeTrue(installed("nbdinfo"), "nbdinfo is not installed (Debian package libnbd-bin); test skipped");
        Path image = dir.resolve("disk.raw");
        Files.write(image, new byte[1 << 20]);
        Path socket = dir.resolve("nbd.sock");
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(new String[] {"nbd",
                "-f", "raw", "-x", "disk", "-D", "a test disk", "-k", socket.toString(), image.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true)));
        while (!Files.exists(socket) && !run.isDone()) {
            Thread.sleep(20);
        }
        // the socket file appears at bind(), a moment before listen(): a refused connect never reached the server
        // (it is not the one client), so it is tried again
        Process p;
        String json;
        int tries = 0;
        do {
            p = new ProcessBuilder("nbdinfo", "--json", "nbd+unix:///disk?socket=" + socket)
                    .redirectErrorStream(true).start();
            json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } while (p.waitFor() != 0 && json.contains("Connection refused") && ++tries < 50 && sleep());
        assertThat(p.exitValue()).as(json).isZero();
        assertThat(json).contains("\"export-size\": 1048576", "\"description\": \"a test disk\"",
                "\"is_read_only\": false");
        assertThat(run.get(30, TimeUnit.SECONDS)).as("exit status once the only client left; stderr: " + err)
                .isZero();
        assertThat(Files.exists(socket)).as("socket removed").isFalse();
    }

    @Test
    void missingImageIsAnErrorNamingIt() {
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"nbd", "-k", dir.resolve("s").toString(),
                dir.resolve("nope.qcow2").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).startsWith("jqmp nbd: ").contains("nope.qcow2");
    }

    @Test
    void usageErrorsExitWithTwo() {
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"nbd", "-k"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertThat(status).isEqualTo(2);
    }
}
