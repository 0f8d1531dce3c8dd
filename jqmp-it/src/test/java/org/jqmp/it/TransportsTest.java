package org.jqmp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** {@code jqmp run}'s monitors on every transport, through the real process. */
class TransportsTest {
    @TempDir
    Path dir;

    private Process jqmp;

    @AfterEach
    void stop() throws InterruptedException {
        Processes.stop(jqmp);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void severalMonitorsAtOnceShareEventsAndQuitEndsTheProcess() throws Exception {
        int port = freePort();
        Path a = dir.resolve("a.sock");
        Path b = dir.resolve("b.sock");
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                "-chardev", "socket,id=mon1,path=" + a + ",server=on,wait=off", "-mon", "chardev=mon1,mode=control",
                "-qmp", "tcp:127.0.0.1:" + port + ",server=on,wait=off",
                "-qmp-pretty", "unix:" + b + ",server=on,wait=off"));
        try (QmpConnection first = QmpConnection.open(a); Socket tcp = connectTcp(port);
             QmpConnection pretty = QmpConnection.open(b)) {
            first.readMessage();
            first.step(bytes("{\"execute\":\"qmp_capabilities\"}"));
            BufferedReader tcpIn = new BufferedReader(new InputStreamReader(tcp.getInputStream(), StandardCharsets.UTF_8));
            OutputStream tcpOut = tcp.getOutputStream();
            assertThat(tcpIn.readLine()).startsWith("{\"QMP\": ");
            tcpOut.write(bytes("{\"execute\":\"qmp_capabilities\"}"));
            assertThat(tcpIn.readLine()).isEqualTo("{\"return\": {}}");
            // pretty: the greeting spans lines, every one ending in CRLF
            assertThat(pretty.readLine()).isEqualTo("{");
            assertThat(pretty.readLine()).isEqualTo("    \"QMP\": {");
            while (!pretty.readLine().equals("}")) {
                // rest of the greeting
            }
            pretty.send(bytes("{\"execute\":\"qmp_capabilities\"}"));
            assertThat(pretty.readLine()).isEqualTo("{");
            assertThat(pretty.readLine()).isEqualTo("    \"return\": {");
            assertThat(pretty.readLine()).isEqualTo("    }");
            assertThat(pretty.readLine()).isEqualTo("}");
            // query-yank lists every monitor's socket chardev
            List<JsonObject> yank = first.step(bytes("{\"execute\":\"query-yank\"}"));
            assertThat(Canonical.of(yank.getFirst())).contains("\"id\": \"mon1\"", "\"id\": \"compat_monitor0\"",
                    "\"id\": \"compat_monitor1\"");
            tcpOut.write(bytes("{\"execute\":\"quit\"}"));
            assertThat(tcpIn.readLine()).contains("\"event\": \"SHUTDOWN\"");
            assertThat(tcpIn.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(Canonical.of(first.readMessage())).contains("\"event\": \"SHUTDOWN\"");
            assertThat(jqmp.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jqmp.exitValue()).isZero();
            assertThat(a).doesNotExist(); // QEMU removes its socket files on exit too
        }
    }

    @Test
    void clientModeConnectsOutAndReconnectsAfterADisconnect() throws Exception {
        Path path = dir.resolve("manager.sock");
        try (AFUNIXServerSocket manager = AFUNIXServerSocket.newInstance()) {
            manager.bind(AFUNIXSocketAddress.of(path));
            manager.setSoTimeout(20_000);
            jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                    "-chardev", "socket,id=up,path=" + path + ",reconnect=1", "-mon", "chardev=up,mode=control"));
            for (int round = 0; round < 2; round++) {
                try (AFUNIXSocket s = manager.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.UTF_8));
                    assertThat(in.readLine()).as("greeting, round " + round).startsWith("{\"QMP\": ");
                    s.getOutputStream().write(bytes("{\"execute\":\"qmp_capabilities\"}"));
                    assertThat(in.readLine()).isEqualTo("{\"return\": {}}");
                }
            }
        }
    }

    @Test
    void clientModeWithoutReconnectFailsAtStartLikeQemu() throws Exception {
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + dir.resolve("nobody.sock")));
        assertThat(jqmp.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(jqmp.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("jqmp.err"))).contains("Failed to connect");
    }

    @Test
    void stdioMonitor() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "org.jqmp.cli.Main", "run", "-M", "none", "-nodefaults", "-display", "none", "-qmp", "stdio"));
        jqmp = new ProcessBuilder(command).redirectError(dir.resolve("err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jqmp.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).startsWith("{\"QMP\": ");
        jqmp.getOutputStream().write(bytes("{\"execute\":\"qmp_capabilities\"}{\"execute\":\"query-version\",\"id\":7}"));
        jqmp.getOutputStream().flush();
        assertThat(out.readLine()).isEqualTo("{\"return\": {}}");
        assertThat(out.readLine()).endsWith("\"id\": 7}");
    }

    @Test
    void waitOnBlocksStartUntilTheFirstClientComes() throws Exception {
        Path path = dir.resolve("w.sock");
        jqmp = Processes.jqmp(dir, List.of("-M", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + path + ",server=on"));
        try (QmpConnection c = QmpConnection.open(path)) {
            JsonObject greeting = c.readMessage();
            assertThat(greeting.has("QMP")).isTrue();
            assertThat(Files.readString(dir.resolve("jqmp.err")))
                    .contains("waiting for connection on: disconnected:unix:" + path + ",server=on");
            assertThat(c.step(bytes("{\"execute\":\"qmp_capabilities\"}"))).hasSize(1);
            List<JsonObject> reply = c.step(bytes("{\"execute\":\"query-version\",\"id\":\"w\"}"));
            assertThat(reply.getFirst().get("id")).isEqualTo(new JsonString("w"));
        }
    }

    @Test
    void badOptionIsRefusedWithQemusTextAndExitCode() throws Exception {
        jqmp = Processes.jqmp(dir, List.of("-frobnicate"));
        assertThat(jqmp.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(jqmp.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("jqmp.err"))).isEqualTo("jqmp: -frobnicate: invalid option\n");
    }

    private static Socket connectTcp(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port));
                s.setSoTimeout(20_000);
                return s;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
