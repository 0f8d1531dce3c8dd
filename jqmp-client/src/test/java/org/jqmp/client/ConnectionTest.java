package org.jqmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fd passing, reconnect, accept mode and the transcript, against jqmp over real sockets. */
class ConnectionTest {
    @TempDir
    Path dir;

    @Test
    void fdsTravelWithTheCommandOrOnASpaceByteBeforeIt() throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.UNIX, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address);
             FileOutputStream file = new FileOutputStream(dir.resolve("f").toFile())) {
            JsonObject a = JsonObject.builder().put("fdname", "a").build();
            assertThat(qmp.execute(Request.of("getfd", a).withFds(file.getFD()))).isEqualTo(JsonObject.EMPTY);
            qmp.sendFds(file.getFD());
            JsonObject b = JsonObject.builder().put("fdname", "b").build();
            assertThat(qmp.execute("getfd", b)).isEqualTo(JsonObject.EMPTY);
            assertThat(qmp.execute("closefd", a)).isEqualTo(JsonObject.EMPTY);
            assertThat(qmp.execute("closefd", b)).isEqualTo(JsonObject.EMPTY);
            assertThatThrownBy(() -> qmp.execute("getfd", a)).isInstanceOfSatisfying(QmpErrorReplyException.class,
                    e -> assertThat(e.desc()).isEqualTo("No file descriptor supplied via SCM_RIGHTS"));
        }
    }

    @Test
    void fdsOverTcpAreRefusedWithAClearError() throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.TCP, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address);
             FileOutputStream file = new FileOutputStream(dir.resolve("f").toFile())) {
            assertThatThrownBy(() -> qmp.execute(Request.of("getfd", JsonObject.builder().put("fdname", "a").build())
                    .withFds(file.getFD()))).hasMessageContaining("only be passed over a Unix socket");
        }
    }

    @Test
    void reconnectsWithBackoffRenegotiatesAndReportsEachDisconnect() throws Exception {
        LinkedBlockingQueue<String> happenings = new LinkedBlockingQueue<>();
        ClientListener listener = new ClientListener() {
            @Override
            public void disconnected(QmpTransportException cause) {
                happenings.add("disconnected");
            }

            @Override
            public void reconnected(Greeting greeting, int attempt) {
                happenings.add("reconnected");
            }
        };
        QmpAddress address = new QmpAddress.Unix(dir.resolve("qmp.sock"));
        JqmpServer first = JqmpServer.start(address);
        try (QmpClient qmp = QmpClient.connect(address, QmpClientOptions.DEFAULT.withListener(listener)
                .withReconnect(ReconnectPolicy.backoff(Duration.ofMillis(20), Duration.ofMillis(200))));
             EventSubscription stops = qmp.subscribe("STOP")) {
            for (int round = 1; round <= 2; round++) {
                first.close();
                assertThat(happenings.poll(10, TimeUnit.SECONDS)).isEqualTo("disconnected");
                assertThatThrownBy(() -> qmp.execute("query-name")).isInstanceOf(QmpTransportException.class);
                first = JqmpServer.start(address);
                assertThat(happenings.poll(10, TimeUnit.SECONDS)).isEqualTo("reconnected");
                assertThat(qmp.awaitConnected(Duration.ofSeconds(10))).isTrue();
                assertThat(qmp.oobEnabled()).isTrue(); // negotiated again
                qmp.execute("stop");
                assertThat(stops.poll(Duration.ofSeconds(10)).name()).isEqualTo("STOP"); // subscription carried over
                assertThat(qmp.disconnects()).isEqualTo(round);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void withoutReconnectTheClientStaysDown() throws Exception {
        QmpAddress address = new QmpAddress.Unix(dir.resolve("qmp.sock"));
        java.util.concurrent.CountDownLatch lost = new java.util.concurrent.CountDownLatch(1);
        ClientListener listener = new ClientListener() {
            @Override
            public void disconnected(QmpTransportException cause) {
                lost.countDown();
            }
        };
        try (JqmpServer jqmp = JqmpServer.start(address);
             QmpClient qmp = QmpClient.connect(address, QmpClientOptions.DEFAULT.withListener(listener))) {
            jqmp.close();
            assertThat(lost.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(qmp.isConnected()).isFalse();
            assertThat(qmp.awaitConnected(Duration.ofSeconds(5))).isFalse(); // returns at once: nobody reconnects
            assertThat(qmp.disconnects()).isEqualTo(1);
        }
    }

    @Test
    void acceptsAServerThatConnectsOut() throws Exception {
        QmpAddress address = new QmpAddress.Unix(dir.resolve("listen.sock"));
        try (QmpListener listener = QmpListener.bind(address);
             JqmpServer jqmp = JqmpServer.connectingTo(address);
             QmpClient qmp = QmpClient.accept(listener, QmpClientOptions.DEFAULT)) {
            assertThat(qmp.execute("query-name")).isEqualTo(JsonObject.builder().put("name", "test-vm").build());
            assertThat(jqmp.server.sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void acceptTimesOutWhenNobodyConnects() throws Exception {
        try (QmpListener listener = QmpListener.bind(new QmpAddress.Tcp("127.0.0.1", 0))) {
            assertThat(((QmpAddress.Tcp) listener.address()).port()).isPositive();
            assertThatThrownBy(() -> QmpClient.accept(listener, QmpClientOptions.DEFAULT
                    .withConnectTimeout(Duration.ofMillis(100)))).isInstanceOf(QmpTransportException.class)
                    .hasMessageContaining("no QMP server connected");
        }
    }

    @Test
    void transcriptFileRecordsBothDirections() throws Exception {
        Path log = dir.resolve("qmp.log");
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.UNIX, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address, QmpClientOptions.DEFAULT
                     .withTranscript(Transcript.toFile(log)))) {
            qmp.execute("query-name");
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(0)).startsWith("<- {\"QMP\": ");
        assertThat(lines.get(1)).isEqualTo("-> {\"execute\": \"qmp_capabilities\", \"arguments\": "
                + "{\"enable\": [\"oob\"]}, \"id\": \"jqmp#1\"}");
        assertThat(lines.get(2)).isEqualTo("<- {\"return\": {}, \"id\": \"jqmp#1\"}");
        assertThat(lines.get(3)).isEqualTo("-> {\"execute\": \"query-name\", \"id\": \"jqmp#2\"}");
        assertThat(lines.get(4)).isEqualTo("<- {\"return\": {\"name\": \"test-vm\"}, \"id\": \"jqmp#2\"}");
    }

    @Test
    void callsFromVirtualThreadsWorkOverUnixSockets() throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.UNIX, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address)) {
            List<Object> names = new CopyOnWriteArrayList<>();
            List<Thread> threads = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                threads.add(Thread.ofVirtual().start(() -> names.add(qmp.execute("query-name"))));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(names).hasSize(50).allMatch(n -> n.equals(JsonObject.builder().put("name", "test-vm").build()));
        }
    }
}
