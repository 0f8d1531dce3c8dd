package org.jqmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What query-chardev reports for a monitor's chardev as clients come and go (forms observed on QEMU 7.2). */
class ChardevStateTest {
    @TempDir
    Path dir;

    private static void eventually(Supplier<String> actual, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!actual.get().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(actual.get()).isEqualTo(expected);
    }

    @Test
    void unixServer() throws Exception {
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir)) {
            String path = dir.resolve("qmp.sock").toString();
            Supplier<String> filename = () -> f.server.chardevs().getFirst().filename();
            assertThat(filename.get()).isEqualTo("disconnected:unix:" + path + ",server=on");
            try (RawClient c = f.connect()) {
                c.readLine();
                assertThat(filename.get()).isEqualTo("unix:" + path + ",server=on");
                assertThat(f.server.chardevs().getFirst().label()).isEqualTo("compat_monitor0");
                assertThat(f.server.chardevs().getFirst().frontendOpen()).isTrue();
            }
            eventually(filename, "disconnected:unix:" + path + ",server=on");
        }
    }

    @Test
    void tcpServerShowsThePeer() throws Exception {
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.TCP, dir); RawClient c = f.connect()) {
            c.readLine();
            String filename = f.server.chardevs().getFirst().filename();
            assertThat(filename).matches("tcp:127\\.0\\.0\\.1:\\d+,server=on <-> 127\\.0\\.0\\.1:\\d+");
        }
    }
}
