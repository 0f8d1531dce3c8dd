package org.jqmp.machine.chardev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A socket chardev no monitor uses: real Unix and TCP sockets, QEMU 7.2's filename forms (observed). */
class SocketChardevTest {
    @TempDir
    Path dir;

    private final Chardevs chardevs = new Chardevs(id -> false);

    @AfterEach
    void close() {
        chardevs.close();
    }

    /** The reader clears the peer on its own thread: wait for the state change the test caused. */
    private static void awaitFilename(Chardev chardev, String expected) throws InterruptedException {
        while (!chardev.filename().equals(expected)) {
            Thread.sleep(5);
        }
    }

    @Test
    void unixServerSendsToItsClientAndReportsTheConnection() throws Exception {
        Path path = dir.resolve("s.sock");
        Chardev chardev = chardevs.open(new ChardevBackend.Socket("s0", UnixDomainSocketAddress.of(path), true, false,
                "unix:" + path + ",server=on"));
        assertThat(chardev.filename()).isEqualTo("disconnected:unix:" + path + ",server=on");
        chardev.write("dropped".getBytes(StandardCharsets.US_ASCII));
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            awaitFilename(chardev, "unix:" + path + ",server=on");
            chardev.write("hello".getBytes(StandardCharsets.US_ASCII));
            InputStream in = Channels.newInputStream(client);
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
        }
        awaitFilename(chardev, "disconnected:unix:" + path + ",server=on");
        try (SocketChannel again = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            awaitFilename(chardev, "unix:" + path + ",server=on");
        }
        chardevs.remove("s0");
        assertThat(path).doesNotExist();
    }

    @Test
    void tcpServerOnPortZeroReportsItsPortAndItsPeer() throws Exception {
        Chardev chardev = chardevs.open(new ChardevBackend.Socket("t0", new InetSocketAddress("127.0.0.1", 0), true,
                false, "tcp:127.0.0.1:0,server=on"));
        String disconnected = chardev.filename();
        assertThat(disconnected).matches("disconnected:tcp:127\\.0\\.0\\.1:[1-9][0-9]*,server=on");
        int port = Integer.parseInt(disconnected.replaceAll(".*:([0-9]+),server=on", "$1"));
        try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            int peerPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            awaitFilename(chardev, "tcp:127.0.0.1:" + port + ",server=on <-> 127.0.0.1:" + peerPort);
        }
    }

    @Test
    void clientConnectsAtOnceOrFailsInQemusWords() throws Exception {
        Path missing = dir.resolve("missing.sock");
        assertThatThrownBy(() -> chardevs.open(new ChardevBackend.Socket("c", UnixDomainSocketAddress.of(missing),
                false, false, "unix:" + missing)))
                .isInstanceOf(ChardevException.class)
                .hasMessage("Failed to connect to '" + missing + "': No such file or directory");
        Path path = dir.resolve("srv.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            Chardev chardev = chardevs.open(new ChardevBackend.Socket("c", UnixDomainSocketAddress.of(path), false,
                    false, "unix:" + path));
            try (SocketChannel accepted = server.accept()) {
                assertThat(chardev.filename()).isEqualTo("unix:");
                chardev.write("x".getBytes(StandardCharsets.US_ASCII));
                ByteBuffer one = ByteBuffer.allocate(1);
                accepted.read(one);
                assertThat(one.array()).containsExactly('x');
            }
        }
    }
}
