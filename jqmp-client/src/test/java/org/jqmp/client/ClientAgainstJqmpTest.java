package org.jqmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jqmp.api.RunState;
import org.jqmp.api.StatusInfo;
import org.jqmp.api.VersionInfo;
import org.jqmp.api.runtime.QObjectInput;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against jqmp's own server over real Unix and TCP sockets: the everyday paths. */
class ClientAgainstJqmpTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(JqmpServer.Transport.class)
    void greetsNegotiatesOobAndRunsCommands(JqmpServer.Transport transport) throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(transport, dir); QmpClient qmp = QmpClient.connect(jqmp.address)) {
            assertThat(qmp.greeting().offers("oob")).isTrue();
            assertThat(qmp.oobEnabled()).isTrue();
            JsonValue version = qmp.execute("query-version");
            assertThat(((JsonObject) version).get("qemu")).isInstanceOf(JsonObject.class);
            VersionInfo typed = qmp.call("query-version", JsonObject.EMPTY, in -> VersionInfo.read(in, null));
            assertThat(typed.qemu().major()).isEqualTo(qmp.greeting().major());
            StatusInfo status = qmp.call("query-status", JsonObject.EMPTY, in -> StatusInfo.read(in, null));
            assertThat(status.status()).isEqualTo(RunState.RUNNING);
        }
    }

    @ParameterizedTest
    @EnumSource(JqmpServer.Transport.class)
    void errorReplyCarriesClassAndDescAndIsNotATransportFailure(JqmpServer.Transport transport) throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(transport, dir); QmpClient qmp = QmpClient.connect(jqmp.address)) {
            assertThatThrownBy(() -> qmp.execute("no-such-command"))
                    .isInstanceOfSatisfying(QmpErrorReplyException.class, e -> {
                        assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                        assertThat(e.desc()).isEqualTo("The command no-such-command has not been found");
                        assertThat(e.command()).isEqualTo("no-such-command");
                    });
            assertThatThrownBy(() -> qmp.execute("closefd", JsonObject.builder().put("fdname", "nope").build()))
                    .isInstanceOfSatisfying(QmpErrorReplyException.class, e -> assertThat(e.desc())
                            .isEqualTo("File descriptor named 'nope' not found"));
            assertThat(qmp.isConnected()).isTrue(); // an error reply leaves the session as it was
            assertThat(qmp.execute("query-name")).isEqualTo(JsonObject.builder().put("name", "test-vm").build());
        }
    }

    @ParameterizedTest
    @EnumSource(JqmpServer.Transport.class)
    void manyCommandsInFlightEachGetsItsOwnReply(JqmpServer.Transport transport) throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(transport, dir); QmpClient qmp = QmpClient.connect(jqmp.address)) {
            List<CompletableFuture<JsonValue>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(qmp.executeAsync("x-sleep", JsonObject.builder().put("ms", i % 3).build()));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(((JsonObject) futures.get(i).get()).get("slept")).isEqualTo(new JsonInt(i % 3));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JqmpServer.Transport.class)
    void outOfBandReplyOvertakesAndIsMatchedById(JqmpServer.Transport transport) throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(transport, dir); QmpClient qmp = QmpClient.connect(jqmp.address)) {
            CompletableFuture<JsonValue> slow = qmp.executeAsync("x-sleep", JsonObject.builder().put("ms", 400).build());
            JsonValue yanks = qmp.execute(Request.of("query-yank").outOfBand());
            assertThat(yanks).isInstanceOf(org.jqmp.json.JsonArray.class);
            assertThat(slow).isNotDone(); // the OOB reply came back while the in-band command still ran
            assertThat(((JsonObject) slow.get()).get("slept")).isEqualTo(new JsonInt(400));
        }
    }

    @ParameterizedTest
    @EnumSource(JqmpServer.Transport.class)
    void withoutOobNegotiatedExecOobIsRefusedLocally(JqmpServer.Transport transport) throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(transport, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address, QmpClientOptions.DEFAULT.withOob(false))) {
            assertThat(qmp.oobEnabled()).isFalse();
            assertThatThrownBy(() -> qmp.execute(Request.of("query-yank").outOfBand()))
                    .isInstanceOf(QmpClientException.class).hasMessageContaining("oob capability");
        }
    }

    @ParameterizedTest
    @EnumSource(JqmpServer.Transport.class)
    void aOneMebibyteReplyArrivesWhole(JqmpServer.Transport transport) throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(transport, dir); QmpClient qmp = QmpClient.connect(jqmp.address)) {
            JsonValue big = qmp.execute("x-big", JsonObject.builder().put("bytes", 1 << 20).build());
            assertThat(((JsonString) big).value()).hasSize(1 << 20);
            assertThat(qmp.execute("query-name")).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(JqmpServer.Transport.class)
    void timeoutFailsTheCallAndTheLateReplyIsDropped(JqmpServer.Transport transport) throws Exception {
        List<JsonObject> dropped = new java.util.concurrent.CopyOnWriteArrayList<>();
        ClientListener listener = new ClientListener() {
            @Override
            public void unknownReply(JsonObject reply) {
                dropped.add(reply);
            }
        };
        try (JqmpServer jqmp = JqmpServer.start(transport, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address, QmpClientOptions.DEFAULT.withListener(listener))) {
            Request slow = Request.of("x-sleep", JsonObject.builder().put("ms", 300).build())
                    .withTimeout(Duration.ofMillis(50));
            assertThatThrownBy(() -> qmp.execute(slow)).isInstanceOfSatisfying(QmpTimeoutException.class,
                    e -> assertThat(e.command()).isEqualTo("x-sleep"));
            // in-band commands run in order: when this replies, the late one has been received and dropped
            assertThat(qmp.execute("query-name")).isNotNull();
            assertThat(dropped).hasSize(1);
            assertThat(((JsonObject) dropped.getFirst().get("return")).get("slept")).isEqualTo(new JsonInt(300));
        }
    }

    @ParameterizedTest
    @EnumSource(JqmpServer.Transport.class)
    void cancelledCallForgetsItsIdAndTheClientGoesOn(JqmpServer.Transport transport) throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(transport, dir); QmpClient qmp = QmpClient.connect(jqmp.address)) {
            CompletableFuture<StatusInfo> call = qmp.callAsync(Request.of("x-sleep",
                    JsonObject.builder().put("ms", 200).build()), in -> StatusInfo.read(in, null));
            assertThat(call.cancel(true)).isTrue();
            assertThat(call).isCancelled();
            assertThat(qmp.execute("query-name")).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(JqmpServer.Transport.class)
    void typedReadOfAWrongShapeIsADecodeErrorThatKeepsTheJson(JqmpServer.Transport transport) throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(transport, dir); QmpClient qmp = QmpClient.connect(jqmp.address)) {
            assertThatThrownBy(() -> qmp.call("query-name", JsonObject.EMPTY, in -> StatusInfo.read(in, null)))
                    .isInstanceOfSatisfying(QmpDecodeException.class, e -> {
                        assertThat(e.json()).isEqualTo(JsonObject.builder().put("name", "test-vm").build());
                        assertThat(e.getMessage()).contains("Parameter 'running' is missing");
                    });
        }
    }

    static QObjectInput in(JsonValue v) {
        return QObjectInput.lenient(v);
    }
}
