package org.jqmp.machine.chardev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mux on a real Unix socket shared by a serial port and a human monitor: the bytes a terminal sees are the
 * ones QEMU 7.2 sent for the same keys ({@code -chardev socket,...,mux=on -serial chardev:mx -mon chardev=mx},
 * observed): focus on the serial port first, {@code Ctrl-A c} to the monitor, QEMU's line redraws.
 */
class MuxChardevTest {
    private static final String BANNER = "QEMU 7.2.0 monitor - type 'help' for more information\r\n";

    @TempDir
    Path dir;

    private final Chardevs chardevs = new Chardevs(id -> false);
    private final List<String> commands = new ArrayList<>();
    private final AtomicInteger terminated = new AtomicInteger();

    @AfterEach
    void close() {
        chardevs.close();
    }

    private SocketChannel muxOnSocket(Path path) throws Exception {
        chardevs.useTerminate(terminated::incrementAndGet);
        chardevs.open(new ChardevBackend.Socket("mx-base", UnixDomainSocketAddress.of(path), true, false,
                "unix:" + path + ",server=on"));
        chardevs.open(new ChardevBackend.Mux("mx", "mx-base"));
        chardevs.attachHumanMonitor("mx", line -> {
            commands.add(line);
            return line.equals("info status") ? "VM status: paused (prelaunch)\r\n" : "";
        }, "7.2.0");
        chardevs.attachFrontend("mx");
        chardevs.muxesOpened();
        return SocketChannel.open(UnixDomainSocketAddress.of(path));
    }

    /** Reads until the expected bytes came (the reply to keys arrives on the chardev's reader thread). */
    private static String expect(SocketChannel client, String expected) throws Exception {
        InputStream in = Channels.newInputStream(client);
        byte[] got = in.readNBytes(expected.length());
        return new String(got, StandardCharsets.ISO_8859_1);
    }

    private static void type(SocketChannel client, String keys) throws Exception {
        client.write(ByteBuffer.wrap(keys.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void ctrlACSwitchesBetweenSerialPortAndMonitorAsQemuDoes() throws Exception {
        Path path = dir.resolve("mx.sock");
        ByteArrayOutputStream serialInput = new ByteArrayOutputStream();
        try (SocketChannel client = muxOnSocket(path)) {
            chardevs.find("mx").orElseThrow().connectInput(serialInput::writeBytes);
            type(client, "ls\r\u0001c");
            String first = BANNER + BANNER + "(qemu) ";
            assertThat(expect(client, first)).isEqualTo(first);
            assertThat(serialInput.toString(StandardCharsets.US_ASCII)).isEqualTo("ls\r");
            type(client, "in\r");
            String edited = "i\033[K\033[Din\033[K\r\n(qemu) ";
            assertThat(expect(client, edited)).isEqualTo(edited);
            assertThat(commands).containsExactly("in");
            type(client, "info\u007fo status\r");
            String statusLine = readUntil(client, "(qemu) ");
            assertThat(statusLine).contains("\033[D\033[D\033[D\033[Dinf\033[K") // Backspace redraws the line
                    .endsWith("\033[D".repeat(10) + "info status\033[K\r\nVM status: paused (prelaunch)\r\n(qemu) ");
            assertThat(commands).containsExactly("in", "info status");
            type(client, "\u0001c");
            assertThat(expect(client, "\r\n")).isEqualTo("\r\n");
            type(client, "\u0001cin\r"); // the keys after Ctrl-A c in the same write go to the new focus
            assertThat(readUntil(client, "\r\n(qemu) ")).isEqualTo("(qemu) i\033[K\033[Din\033[K\r\n(qemu) ");
            assertThat(commands).containsExactly("in", "info status", "in");
        }
    }

    private static String readUntil(SocketChannel client, String suffix) throws Exception {
        InputStream in = Channels.newInputStream(client);
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith(suffix)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }

    @Test
    void helpAndTerminateEscapes() throws Exception {
        try (SocketChannel client = muxOnSocket(dir.resolve("mx.sock"))) {
            type(client, "\u0001h");
            String help = "\n\rC-a h    print this help\n\rC-a x    exit emulator\n\r";
            assertThat(expect(client, help)).isEqualTo(help);
            expect(client, "C-a s    save disk data back to file (if -snapshot)\n\rC-a t    toggle console timestamps\n\r"
                    + "C-a b    send break (magic sysrq)\n\rC-a c    switch between console and monitor\n\r"
                    + "C-a C-a  sends C-a\n\r");
            type(client, "\u0001x");
            assertThat(expect(client, "QEMU: Terminated\n\r")).isEqualTo("QEMU: Terminated\n\r");
            while (terminated.get() == 0) {
                Thread.sleep(5);
            }
        }
    }

    /**
     * A monitor with a chardev of its own greets at start-up. Here a ringbuf: what ringbuf-write puts in its
     * buffer is also typed to its front end, and the monitor's echo follows it.
     */
    @Test
    void aMonitorOnAChardevOfItsOwnGreetsAtStartUpAndReadsLines() {
        chardevs.open(new ChardevBackend.Ringbuf("rb", 4096, "ringbuf"));
        chardevs.attachHumanMonitor("rb", line -> {
            commands.add(line);
            return "VM status: paused (prelaunch)\r\n"; // as human-monitor-command returns it
        }, "7.2.0");
        assertThat(chardevs.ringbufRead("rb", 4096, null)).isEmpty(); // nothing before start-up is over
        chardevs.muxesOpened();
        assertThat(chardevs.ringbufRead("rb", 4096, null)).isEqualTo(BANNER + "(qemu) ");
        chardevs.ringbufWrite("rb", "info\r", null);
        assertThat(chardevs.ringbufRead("rb", 4096, null))
                .isEqualTo("info\ri\033[K\033[Din\033[K\033[D\033[Dinf\033[K\033[D\033[D\033[Dinfo\033[K\r\n"
                        + "VM status: paused (prelaunch)\r\n(qemu) ");
        assertThat(commands).containsExactly("info");
    }

    @Test
    void aMuxTakesAtMostFourFrontEnds() {
        chardevs.open(new ChardevBackend.Null("n0"));
        chardevs.open(new ChardevBackend.Mux("mx", "n0"));
        chardevs.attachFrontend("mx");
        chardevs.attachFrontend("mx"); // the serial port and the guest behind it: one front end
        for (int i = 1; i < MuxChardev.MAX_FRONT_ENDS; i++) {
            chardevs.attachHumanMonitor("mx", line -> "", "7.2.0");
        }
        assertThatThrownBy(() -> chardevs.attachHumanMonitor("mx", line -> "", "7.2.0"))
                .isInstanceOf(ChardevException.class).hasMessage("Device 'mx' is in use");
    }
}
