package org.jqmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * File descriptors passed with SCM_RIGHTS over a real Unix socket. The server runs in this JVM, so the
 * process's open descriptors (/proc/self/fd) show exactly what it keeps and what it closes.
 */
class FdPassingTest {
    @TempDir
    Path dir;

    private ServerFixture fixture;
    private AFUNIXSocketPair<AFUNIXSocketChannel> pair;

    @BeforeEach
    void start() throws Exception {
        fixture = ServerFixture.start(ServerFixture.Transport.UNIX, dir);
        pair = AFUNIXSocketPair.open();
    }

    @AfterEach
    void stop() throws IOException {
        pair.getSocket1().close();
        pair.getSocket2().close();
        fixture.close();
    }

    private static long openFds() throws IOException {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return list.count();
        }
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static long fds() {
        try {
            return openFds();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private FileDescriptor end() throws IOException {
        return pair.getSocket1().getFileDescriptor();
    }

    @Test
    void fdCarriedByOneSpaceByteIsNamedByGetfdAndClosedByClosefd() throws Exception {
        try (RawClient c = fixture.connect()) {
            c.negotiate(false);
            long before = openFds();
            // what QEMU's Python client does: one space byte carrying the fd, then getfd
            c.sendWithFds(" ".getBytes(), end());
            c.send("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"fd1\"}}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(openFds()).isEqualTo(before + 1);
            c.send("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"fd1\"}}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            eventually(() -> fds() == before);
            c.send("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"fd1\"}}");
            assertThat(c.readLine()).contains("File descriptor named 'fd1' not found");
        }
    }

    /** A real pipe's end: a FIFO opened read-write (which does not wait for a peer), as getfd users pass them. */
    @Test
    void aPipeEndIsNamedAndClosed() throws Exception {
        Path fifo = dir.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        try (RawClient c = fixture.connect(); java.io.RandomAccessFile pipe = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
            c.negotiate(false);
            long before = openFds();
            c.sendWithFds(" ".getBytes(), pipe.getFD());
            c.send("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"pipe0\"}}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(openFds()).isEqualTo(before + 1);
            c.send("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"pipe0\"}}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            eventually(() -> fds() == before);
        }
    }

    @Test
    void fdAndCommandInOneMessage() throws Exception {
        try (RawClient c = fixture.connect()) {
            c.negotiate(false);
            c.sendWithFds("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"x\"}}".getBytes(), end());
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
        }
    }

    @Test
    void replacingANameClosesTheOldFd() throws Exception {
        try (RawClient c = fixture.connect()) {
            c.negotiate(false);
            long before = openFds();
            for (int i = 0; i < 3; i++) {
                c.sendWithFds(" ".getBytes(), end());
                c.send("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"same\"}}");
                assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            }
            eventually(() -> fds() == before + 1);
        }
    }

    @Test
    void unclaimedFdsAreClosedWhenTheNextBatchArrives() throws Exception {
        try (RawClient c = fixture.connect()) {
            c.negotiate(false);
            long before = openFds();
            c.sendWithFds(" ".getBytes(), end(), end(), end());
            c.send("{\"execute\":\"query-version\"}");
            c.readLine();
            assertThat(openFds()).isEqualTo(before + 3);
            c.sendWithFds(" ".getBytes(), end());
            c.send("{\"execute\":\"query-version\"}");
            c.readLine();
            eventually(() -> fds() == before + 1);
            // getfd takes the first of a batch and closes the rest
            c.sendWithFds(" ".getBytes(), end(), end());
            c.send("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"first\"}}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            eventually(() -> fds() == before + 1);
        }
    }

    @Test
    void aNameStartingWithADigitIsRefusedAndTheFdClosed() throws Exception {
        try (RawClient c = fixture.connect()) {
            c.negotiate(false);
            long before = openFds();
            c.sendWithFds(" ".getBytes(), end());
            c.send("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"1x\"}}");
            assertThat(c.readLine()).isEqualTo("{\"error\": {\"class\": \"GenericError\", "
                    + "\"desc\": \"Parameter 'fdname' expects a name not starting with a digit\"}}");
            eventually(() -> fds() == before);
        }
    }

    @Test
    void everyFdIsClosedWhenTheSessionEnds() throws Exception {
        long before = openFds();
        try (RawClient c = fixture.connect()) {
            c.negotiate(false);
            c.sendWithFds(" ".getBytes(), end());
            c.send("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"kept\"}}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            c.sendWithFds(" ".getBytes(), end(), end());
            c.send("{\"execute\":\"query-version\"}");
            c.readLine();
        }
        eventually(() -> fds() == before && fixture.server.sessionCount() == 0);
    }
}
