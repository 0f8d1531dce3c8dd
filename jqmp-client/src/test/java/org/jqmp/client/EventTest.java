package org.jqmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jqmp.api.ShutdownCause;
import org.jqmp.api.ShutdownData;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events from jqmp's server: subscriptions by name and predicate, bounded buffers, command-and-event. */
class EventTest {
    @TempDir
    Path dir;

    @Test
    void subscriptionsByNameAndPredicateSeeOnlyTheirEvents() throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.UNIX, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address);
             EventSubscription stops = qmp.subscribe("STOP");
             EventSubscription all = qmp.subscribe();
             EventSubscription guestResets = qmp.subscribe(e -> e.name().equals("RESET")
                     && e.data(in -> ShutdownData.read(in, null)).guest())) {
            qmp.execute("stop");
            qmp.execute("cont");
            jqmp.server.events().emit("RESET", new ShutdownData(false, ShutdownCause.HOST_QMP_SYSTEM_RESET)
                    .toJson(org.jqmp.api.runtime.CompatPolicy.ACCEPT_ALL));
            jqmp.server.events().emit("RESET", new ShutdownData(true, ShutdownCause.GUEST_RESET)
                    .toJson(org.jqmp.api.runtime.CompatPolicy.ACCEPT_ALL));
            qmp.execute("query-name"); // every event above was written before this reply
            assertThat(stops.poll().name()).isEqualTo("STOP");
            assertThat(stops.poll()).isNull();
            assertThat(List.of(all.poll().name(), all.poll().name(), all.poll().name(), all.poll().name()))
                    .containsExactly("STOP", "RESUME", "RESET", "RESET");
            QmpEvent reset = guestResets.poll();
            assertThat(reset.data(in -> ShutdownData.read(in, null)).reason()).isEqualTo(ShutdownCause.GUEST_RESET);
            assertThat(guestResets.poll()).isNull();
        }
    }

    @Test
    void executeAndWaitCannotMissAnEventThatComesBeforeTheReply() throws Exception {
        // jqmp (like QEMU) writes STOP before stop's reply: a subscribe-after-send client would miss it
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.TCP, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address)) {
            for (int i = 0; i < 20; i++) {
                assertThat(qmp.executeAndWait(Request.of("stop"), e -> e.name().equals("STOP"),
                        Duration.ofSeconds(5)).event().name()).isEqualTo("STOP");
                assertThat(qmp.executeAndWait(Request.of("cont"), e -> e.name().equals("RESUME"),
                        Duration.ofSeconds(5)).reply()).isEqualTo(JsonObject.EMPTY);
            }
            assertThatThrownBy(() -> qmp.executeAndWait(Request.of("query-name"), e -> e.name().equals("STOP"),
                    Duration.ofMillis(50))).isInstanceOf(QmpTimeoutException.class)
                    .hasMessageContaining("awaited event");
        }
    }

    @Test
    void fullBufferDropsEventsAndReportsTheGapWhereItHappened() throws Exception {
        List<Long> reported = new CopyOnWriteArrayList<>();
        ClientListener listener = new ClientListener() {
            @Override
            public void eventsLost(EventSubscription subscription, long lost) {
                reported.add(lost);
            }
        };
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.UNIX, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address, QmpClientOptions.DEFAULT.withListener(listener));
             EventSubscription small = qmp.subscribe(e -> true, 2)) {
            for (int i = 0; i < 5; i++) {
                jqmp.server.events().emit("POWERDOWN", null);
            }
            qmp.execute("query-name");
            assertThat(small.poll().name()).isEqualTo("POWERDOWN");
            assertThat(small.poll().name()).isEqualTo("POWERDOWN");
            assertThatThrownBy(small::poll).isInstanceOfSatisfying(QmpEventsLostException.class,
                    e -> assertThat(e.lost()).isEqualTo(3));
            jqmp.server.events().emit("STOP", null);
            qmp.execute("query-name");
            assertThat(small.poll().name()).isEqualTo("STOP"); // space again after draining
            assertThat(small.poll()).isNull();
            assertThat(small.lost()).isEqualTo(3);
            assertThat(reported).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aBlockedHandlerNeverHoldsUpRepliesOrOtherSubscribers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LinkedBlockingQueue<String> handled = new LinkedBlockingQueue<>();
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.UNIX, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address, QmpClientOptions.DEFAULT.withEventBuffer(4));
             EventSubscription stuck = qmp.onEvent(e -> true, e -> {
                 try {
                     release.await();
                     handled.add(e.name());
                 } catch (InterruptedException ex) {
                     Thread.currentThread().interrupt();
                 }
             });
             EventSubscription other = qmp.subscribe(e -> true, 1000)) {
            for (int i = 0; i < 100; i++) {
                qmp.execute("stop");
                qmp.execute("cont");
            }
            assertThat(other.size()).isEqualTo(200);
            assertThat(stuck.lost()).isPositive();
            release.countDown();
            assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo("STOP");
        }
    }

    @Test
    void closedSubscriptionGetsNothingMore() throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.UNIX, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address)) {
            EventSubscription s = qmp.subscribe("STOP");
            s.close();
            qmp.execute("stop");
            assertThat(s.poll(Duration.ofMillis(10))).isNull();
            assertThatThrownBy(s::take).isInstanceOf(QmpClientException.class).hasMessageContaining("closed");
        }
    }
}
