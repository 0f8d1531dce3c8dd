package org.jqmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.jqmp.api.RunState;
import org.jqmp.api.StatusInfo;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.Test;

/** The client against servers that misbehave ({@link FaultyQmpServer}), over real TCP sockets. */
class FaultTest {
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();
    private final List<JsonObject> unknownReplies = new CopyOnWriteArrayList<>();
    private final List<QmpTransportException> disconnects = new CopyOnWriteArrayList<>();
    private final List<String> drift = new CopyOnWriteArrayList<>();

    private final ClientListener listener = new ClientListener() {
        @Override
        public void disconnected(QmpTransportException cause) {
            disconnects.add(cause);
        }

        @Override
        public void unknownReply(JsonObject reply) {
            unknownReplies.add(reply);
        }

        @Override
        public void serverError(String message) {
            serverErrors.add(message);
        }

        @Override
        public void drift(String command, List<String> found) {
            drift.addAll(found);
        }
    };

    private QmpClientOptions options() {
        return QmpClientOptions.DEFAULT.withListener(listener).withConnectTimeout(Duration.ofSeconds(5));
    }

    private static JsonObject n(int value) {
        return JsonObject.builder().put("n", value).build();
    }

    @Test
    void serverClosingMidReplyFailsTheCallAsTransportNotErrorReply() throws Exception {
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.CLOSES_MID_REPLY);
             QmpClient qmp = QmpClient.connect(server.address(), options())) {
            assertThatThrownBy(() -> qmp.execute("anything", n(1)))
                    .isInstanceOf(QmpTransportException.class).hasMessageContaining("closed the connection");
            assertThat(qmp.isConnected()).isFalse();
            assertThat(disconnects).hasSize(1);
            assertThatThrownBy(() -> qmp.execute("again")).isInstanceOf(QmpTransportException.class)
                    .hasMessageContaining("not connected");
        }
    }

    @Test
    void stalledServerMeetsThePerCallTimeoutAndTheConnectionStaysUsable() throws Exception {
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.STALLS);
             QmpClient qmp = QmpClient.connect(server.address(), options())) {
            CompletableFuture<JsonValue> a = qmp.executeAsync(Request.of("a").withTimeout(Duration.ofMillis(100)));
            CompletableFuture<JsonValue> b = qmp.executeAsync(Request.of("b").withTimeout(Duration.ofMillis(150)));
            assertThatThrownBy(a::get).hasCauseInstanceOf(QmpTimeoutException.class);
            assertThatThrownBy(b::get).hasCauseInstanceOf(QmpTimeoutException.class);
            assertThat(qmp.isConnected()).isTrue();
        }
    }

    @Test
    void eventBetweenCapabilitiesAndItsReplyIsDeliveredAndNegotiationSucceeds() throws Exception {
        // no subscription can exist before connect returns, so the transcript shows the event was read as one;
        // the client must neither fail negotiation nor take the event for the reply
        List<String> transcript = new CopyOnWriteArrayList<>();
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.EVENT_BEFORE_NEGOTIATION_REPLY);
             QmpClient qmp = QmpClient.connect(server.address(), options()
                     .withTranscript((direction, message) -> transcript.add(direction + " " + message)))) {
            assertThat(qmp.oobEnabled()).isTrue();
            assertThat(transcript).hasSize(4);
            assertThat(transcript.get(0)).startsWith("RECEIVED {\"QMP\"");
            assertThat(transcript.get(1)).startsWith("SENT {\"execute\": \"qmp_capabilities\"");
            assertThat(transcript.get(2)).contains("\"event\": \"EARLY\"");
            assertThat(transcript.get(3)).startsWith("RECEIVED {\"return\": {}");
            assertThat(qmp.execute("echo", n(7))).isEqualTo(n(7));
            assertThat(serverErrors).isEmpty();
            assertThat(unknownReplies).isEmpty();
        }
    }

    @Test
    void repliesAreMatchedByIdNotOrderAndUnknownIdsAreDropped() throws Exception {
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.REPLIES_IN_REVERSE_ORDER);
             QmpClient qmp = QmpClient.connect(server.address(), options())) {
            CompletableFuture<JsonValue> first = qmp.executeAsync("echo", n(1));
            CompletableFuture<JsonValue> second = qmp.executeAsync("echo", n(2));
            CompletableFuture<JsonValue> third = qmp.executeAsync("echo", n(3));
            assertThat(first.get()).isEqualTo(n(1));
            assertThat(second.get()).isEqualTo(n(2));
            assertThat(third.get()).isEqualTo(n(3));
            assertThat(unknownReplies).singleElement()
                    .satisfies(r -> assertThat(r.get("id").toString()).contains("nobody-sent-this"));
        }
    }

    @Test
    void repliesWrittenOneByteAtATimeAreFramedWhole() throws Exception {
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.DRIPS_BYTES);
             QmpClient qmp = QmpClient.connect(server.address(), options())) {
            assertThat(qmp.execute("echo", JsonObject.builder().put("text", "a\u00e9\"b").build()))
                    .isEqualTo(JsonObject.builder().put("text", "a\u00e9\"b").build());
        }
    }

    @Test
    void aServerThatDoesNotGreetIsAProtocolError() throws Exception {
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.NOT_QMP)) {
            assertThatThrownBy(() -> QmpClient.connect(server.address(), options()))
                    .isInstanceOf(QmpProtocolException.class).hasMessageContaining("expected the QMP greeting");
        }
    }

    @Test
    void refusedNegotiationIsAProtocolErrorNamingTheReason() throws Exception {
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.REFUSES_NEGOTIATION)) {
            assertThatThrownBy(() -> QmpClient.connect(server.address(), options()))
                    .isInstanceOf(QmpProtocolException.class).hasMessageContaining("Capability oob not available");
        }
    }

    @Test
    void brokenJsonFromTheServerClosesTheConnectionWithTheDecodersText() throws Exception {
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.SENDS_BAD_JSON);
             QmpClient qmp = QmpClient.connect(server.address(), options())) {
            assertThatThrownBy(() -> qmp.execute("x")).isInstanceOf(QmpTransportException.class)
                    .hasMessageContaining("JSON parse error, expecting value");
        }
    }

    @Test
    void nothingListeningIsATransportErrorNamingTheAddress() throws Exception {
        QmpAddress nowhere = new QmpAddress.Tcp("127.0.0.1", JqmpServer.freePort());
        assertThatThrownBy(() -> QmpClient.connect(nowhere, options())).isInstanceOf(QmpTransportException.class)
                .hasMessageContaining(nowhere.toString());
    }

    @Test
    void newerQemuMembersAndEnumValuesAreKeptAsDriftNotFailures() throws Exception {
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.NEWER_QEMU);
             QmpClient qmp = QmpClient.connect(server.address(), options())) {
            StatusInfo status = qmp.call("query-status", JsonObject.EMPTY, in -> StatusInfo.read(in, null));
            assertThat(status.status()).isEqualTo(RunState.RUNNING);
            assertThat(drift).containsExactly("unknown member 'cpu-count'");
            // the dynamic form keeps everything
            assertThat(((JsonObject) qmp.execute("query-status")).get("cpu-count")).isEqualTo(new JsonInt(4));
            // a mandatory enum member with a value this build lacks cannot be a Java enum: the JSON survives
            assertThatThrownBy(() -> qmp.call("new-state", JsonObject.EMPTY, in -> StatusInfo.read(in, null)))
                    .isInstanceOfSatisfying(QmpDecodeException.class, e -> {
                        assertThat(e.drift()).contains("unknown value 'hibernating' of 'status'");
                        assertThat(e.json().toString()).contains("hibernating");
                    });
            assertThat(qmp.isConnected()).isTrue();
        }
    }

    @Test
    void inFlightLimitRefusesTheCallOverIt() throws Exception {
        try (FaultyQmpServer server = FaultyQmpServer.start(FaultyQmpServer.Fault.STALLS);
             QmpClient qmp = QmpClient.connect(server.address(), options().withLimits(
                     new ClientLimits(org.jqmp.json.JsonLimits.QEMU, 1 << 20, 2)))) {
            qmp.executeAsync("a", JsonObject.EMPTY);
            qmp.executeAsync("b", JsonObject.EMPTY);
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> qmp.executeAsync("c", JsonObject.EMPTY).get());
            assertThat(e.getCause()).hasMessageContaining("ClientLimits.maxCallsInFlight");
        }
    }
}
