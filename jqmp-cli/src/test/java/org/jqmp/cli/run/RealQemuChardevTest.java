package org.jqmp.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqmp.monitor.chardev.ChardevConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real QEMU with the same options jqmp parses and compares {@code query-chardev}: the labels
 * (compat_monitorN) and the filenames - the address part jqmp computes, behind {@code disconnected:} while no
 * peer is connected, bare for a connected Unix server, and the peer form for a connected TCP server.
 */
class RealQemuChardevTest {

    private static final Pattern CHARDEV_INFO =
            Pattern.compile("\\{\"frontend-open\": (?:true|false), \"filename\": \"([^\"]*)\", \"label\": \"([^\"]*)\"}");
    /** Bound on waiting for QEMU to create its control socket (it takes about 0.1 s). */
    private static final int SOCKET_WAIT_STEPS = 500;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsQemu() {
        RealQemu.assumeInstalled();
    }

    @Test
    void labelsAndFilenamesMatchQemus() throws Exception {
        int tcpServer = freePort();
        int anyAddressServer = freePort();
        int nobodyListens = freePort();
        Path control = dir.resolve("ctl.sock");
        List<String> args = List.of("-M", "none", "-nodefaults", "-S", "-display", "none",
                "-qmp", "unix:" + dir.resolve("a.sock") + ",server=on,wait=off",
                "-qmp", "tcp:127.0.0.1:" + tcpServer + ",server=on,wait=off",
                "-qmp-pretty", "unix:" + dir.resolve("b.sock") + ",server,nowait",
                "-qmp", "tcp::" + anyAddressServer + ",server=on,wait=off,ipv4=on",
                "-chardev", "socket,id=c1,host=localhost,port=" + nobodyListens + ",reconnect=5",
                "-chardev", "socket,id=c2,path=" + dir.resolve("none.sock") + ",reconnect=5",
                "-chardev", "stdio,id=s", "-mon", "s,mode=control",
                "-chardev", "socket,id=ctl,path=" + control + ",server=on,wait=off", "-mon", "chardev=ctl,mode=control");
        List<ChardevConfig> parsed = QemuCommandLine.parse(args).chardevs();

        Process qemu = start(args);
        try (Socket peer = connectWhenListening(control, tcpServer)) {
            Map<String, String> reported = queryChardev(control);

            Map<String, String> expected = new LinkedHashMap<>();
            for (ChardevConfig chardev : parsed) {
                expected.put(chardev.id(), "disconnected:" + chardev.filename());
            }
            expected.put("s", "stdio");
            expected.put("ctl", parsed.getLast().filename());
            expected.put("compat_monitor1", "tcp:127.0.0.1:" + tcpServer + ",server=on <-> 127.0.0.1:"
                    + peer.getLocalPort());
            assertThat(reported).isEqualTo(expected);
            assertThat(expected.keySet()).containsExactlyInAnyOrder("compat_monitor0", "compat_monitor1",
                    "compat_monitor2", "compat_monitor3", "c1", "c2", "s", "ctl");
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor(RealQemu.EXIT_BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(RealQemu.PROGRAM));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static Socket connectWhenListening(Path control, int tcpPort) throws Exception {
        for (int i = 0; i < SOCKET_WAIT_STEPS && !Files.exists(control); i++) {
            Thread.sleep(20);
        }
        return new Socket(InetAddress.getLoopbackAddress(), tcpPort);
    }

    /** label -> filename, from a QMP session on the control socket. */
    private static Map<String, String> queryChardev(Path control) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(control))) {
            BufferedReader in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(channel);
            in.readLine();
            String reply = command(in, out, "qmp_capabilities");
            assertThat(reply).isEqualTo("{\"return\": {}}");
            reply = command(in, out, "query-chardev");
            Map<String, String> chardevs = new LinkedHashMap<>();
            Matcher matcher = CHARDEV_INFO.matcher(reply);
            while (matcher.find()) {
                chardevs.put(matcher.group(2), matcher.group(1));
            }
            return chardevs;
        }
    }

    private static String command(BufferedReader in, OutputStream out, String name) throws IOException {
        out.write(("{\"execute\": \"" + name + "\"}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.startsWith("{\"event\""));
        return line;
    }
}
