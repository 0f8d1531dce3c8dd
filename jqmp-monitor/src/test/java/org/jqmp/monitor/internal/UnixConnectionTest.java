package org.jqmp.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** UnixConnection over a real Unix socket pair: read sizes, whole data, file descriptors. */
class UnixConnectionTest {
    private static final int SESSION_BUFFER = 64 * 1024;

    @TempDir
    Path dir;
    private AFUNIXServerSocket server;
    private AFUNIXSocket peer;
    private UnixConnection connection;

    @BeforeEach
    void connect() throws IOException {
        server = AFUNIXServerSocket.newInstance();
        server.bind(AFUNIXSocketAddress.of(dir.resolve("s.sock")));
        peer = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(dir.resolve("s.sock")));
        connection = new UnixConnection((AFUNIXSocket) server.accept());
    }

    @AfterEach
    void close() throws IOException {
        connection.close();
        peer.close();
        server.close();
    }

    @Test
    void aSmallMessageIsReadWhole() throws IOException {
        byte[] command = "{\"execute\": \"query-version\"}\n".getBytes();
        peer.getOutputStream().write(command);
        byte[] buffer = new byte[SESSION_BUFFER];
        int n = connection.read(buffer);
        assertThat(n).isEqualTo(command.length);
        assertThat(new String(buffer, 0, n)).isEqualTo(new String(command));
    }

    @Test
    void readsStartSmallAndDoubleWhileTheyComeBackFull() throws IOException {
        byte[] data = randomBytes(100_000); // fits in the socket's buffer: all of it is there before we read
        peer.getOutputStream().write(data);
        List<Integer> sizes = new ArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[SESSION_BUFFER];
        while (received.size() < data.length) {
            int n = connection.read(buffer);
            sizes.add(n);
            received.write(buffer, 0, n);
        }
        assertThat(sizes).startsWith(UnixConnection.FIRST_READ_SIZE, 2 * UnixConnection.FIRST_READ_SIZE,
                4 * UnixConnection.FIRST_READ_SIZE);
        assertThat(sizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(SESSION_BUFFER));
        assertThat(received.toByteArray()).isEqualTo(data);
    }

    @Test
    void aShortReadBringsTheNextRequestBackToTheFirstSize() throws IOException {
        OutputStream out = peer.getOutputStream();
        byte[] buffer = new byte[SESSION_BUFFER];
        out.write(randomBytes(3 * UnixConnection.FIRST_READ_SIZE));
        assertThat(connection.read(buffer)).isEqualTo(UnixConnection.FIRST_READ_SIZE);
        assertThat(connection.read(buffer)).isEqualTo(2 * UnixConnection.FIRST_READ_SIZE); // full: would double
        out.write(randomBytes(10));
        assertThat(connection.read(buffer)).isEqualTo(10);
        out.write(randomBytes(50_000));
        assertThat(connection.read(buffer)).isEqualTo(UnixConnection.FIRST_READ_SIZE);
    }

    @Test
    void aBufferSmallerThanTheFirstSizeIsFilledAndNotOverrun() throws IOException {
        peer.getOutputStream().write(randomBytes(100));
        byte[] small = new byte[16];
        assertThat(connection.read(small)).isEqualTo(16);
        assertThat(connection.read(small)).isEqualTo(16);
    }

    @Test
    void endOfStreamIsMinusOne() throws IOException {
        peer.getOutputStream().write('x');
        peer.close(); // the peer goes away: end of stream after the byte it sent
        byte[] buffer = new byte[SESSION_BUFFER];
        assertThat(connection.read(buffer)).isEqualTo(1);
        assertThat(connection.read(buffer)).isEqualTo(-1);
    }

    @Test
    void aFileDescriptorArrivesWithItsByte() throws IOException {
        Path file = Files.writeString(dir.resolve("passed.txt"), "passed");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            peer.setOutboundFileDescriptors(in.getFD());
            peer.getOutputStream().write(' ');
        }
        byte[] buffer = new byte[SESSION_BUFFER];
        assertThat(connection.read(buffer)).isEqualTo(1);
        FileDescriptor[] fds = connection.takeReceivedFds();
        assertThat(fds).hasSize(1);
        try (FileInputStream received = new FileInputStream(fds[0])) {
            assertThat(new String(received.readAllBytes())).isEqualTo("passed");
        }
        assertThat(connection.takeReceivedFds()).isEmpty();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
