package org.jqmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jqmp.api.runtime.CommandDefinition;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.api.runtime.CompatPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out-of-band execution and in-band queueing (QEMU's qmp-test "qmp/oob"). {@code x-test-block} is a test-only
 * in-band command that waits until the test releases it: the stand-in for qmp-test's blockdev-add on a FIFO.
 */
class OutOfBandTest {
    @TempDir
    Path dir;

    private final Semaphore release = new Semaphore(0);
    private final Semaphore started = new Semaphore(0);
    private ServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        CommandTable commands = CommandTable.builder()
                .register(CommandDefinition.of("x-test-block", (args, ctx) -> {
                    started.release();
                    try {
                        if (!release.tryAcquire(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("never released");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }))
                .build();
        fixture = ServerFixture.start(ServerFixture.Transport.UNIX, dir, commands, CompatPolicy.ACCEPT_ALL);
    }

    @AfterEach
    void stop() {
        release.release(100);
        fixture.close();
    }

    @Test
    void outOfBandCommandOvertakesABlockedInBandOne() throws Exception {
        try (RawClient c = fixture.connect()) {
            c.negotiate(true);
            c.send("{\"execute\":\"x-test-block\",\"id\":\"ib-blocks-1\"}");
            c.send("{\"execute\":\"query-version\",\"id\":\"ib-quick-1\"}");
            c.send("{\"exec-oob\":\"query-yank\",\"id\":\"oob-1\"}");
            assertThat(c.readLine()).endsWith("\"id\": \"oob-1\"}");
            release.release();
            assertThat(c.readLine()).isEqualTo("{\"return\": {}, \"id\": \"ib-blocks-1\"}");
            assertThat(c.readLine()).endsWith("\"id\": \"ib-quick-1\"}");
        }
    }

    @Test
    void errorsOfInBandInputKeepTheirPlaceInTheQueue() throws Exception {
        try (RawClient c = fixture.connect()) {
            c.negotiate(true);
            c.send("{\"execute\":\"x-test-block\",\"id\":\"blocks-2\"}");
            c.send("{\"id\":\"err-2\"}");
            c.send("{]");
            assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            assertThat(c.silentFor(Duration.ofMillis(200))).isTrue();
            release.release();
            assertThat(c.readLine()).endsWith("\"id\": \"blocks-2\"}");
            assertThat(c.readLine()).isEqualTo("{\"id\": \"err-2\", \"error\": {\"class\": \"GenericError\", "
                    + "\"desc\": \"QMP input lacks member 'execute'\"}}");
            assertThat(c.readLine()).contains("JSON parse error");
        }
    }

    @Test
    void execOobOfACommandWithoutAllowOobIsRefusedAtOnce() throws Exception {
        try (RawClient c = fixture.connect()) {
            c.negotiate(true);
            c.send("{\"execute\":\"x-test-block\",\"id\":\"blocks\"}");
            c.send("{\"exec-oob\":\"query-version\",\"id\":\"oob\"}");
            assertThat(c.readLine()).isEqualTo("{\"id\": \"oob\", \"error\": {\"class\": \"GenericError\", "
                    + "\"desc\": \"The command query-version does not support OOB\"}}");
            c.send("{\"exec-oob\":\"query-yank\",\"execute\":\"query-yank\",\"id\":\"both\"}");
            release.release();
            assertThat(c.readLine()).endsWith("\"id\": \"blocks\"}");
            assertThat(c.readLine()).contains("clashes with");
        }
    }

    @Test
    void withoutOobOnlyOneInBandCommandRunsAtATime() throws Exception {
        try (RawClient c = fixture.connect()) {
            c.negotiate(false);
            c.send("{\"execute\":\"x-test-block\",\"id\":1}");
            c.send("{\"execute\":\"x-test-block\",\"id\":2}");
            assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            assertThat(started.tryAcquire(300, TimeUnit.MILLISECONDS)).as("second ran concurrently").isFalse();
            release.release();
            assertThat(c.readLine()).endsWith("\"id\": 1}");
            assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            release.release();
            assertThat(c.readLine()).endsWith("\"id\": 2}");
        }
    }

    @Test
    void withOobAtMostEightInBandRequestsAreQueued() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (RawClient c = fixture.connect()) {
            c.negotiate(true);
            c.send("{\"execute\":\"x-test-block\",\"id\":0}");
            assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 8; i++) {
                c.send("{\"execute\":\"query-version\",\"id\":" + i + "}");
            }
            // the queue is full: the reader stops reading, so even an OOB request now waits in the socket
            c.send("{\"exec-oob\":\"query-yank\",\"id\":\"oob\"}");
            assertThat(c.silentFor(Duration.ofMillis(300))).isTrue();
            release.release();
            assertThat(c.readLine()).endsWith("\"id\": 0}");
            String next = c.readLine();
            // once a slot frees, the reader takes the OOB request, which may overtake the queued ones
            assertThat(next).containsAnyOf("\"id\": 1}", "\"id\": \"oob\"}");
            done.countDown();
        }
    }
}
