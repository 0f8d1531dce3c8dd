package org.jqmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jqmp.api.CommandInfo;
import org.jqmp.api.RunState;
import org.jqmp.api.SchemaInfo;
import org.jqmp.api.StatusInfo;
import org.jqmp.api.VersionInfo;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against the real QEMU 7.2 ({@code -M none -S}); skipped when qemu-system-x86_64 is absent. */
class ClientAgainstQemuTest {
    @TempDir
    Path dir;
    RealQemu qemu;
    QmpClient qmp;
    final List<String> drift = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        qemu = RealQemu.start(dir, "unix:" + socket + ",server=on,wait=off");
        qemu.awaitSocket(socket);
        ClientListener listener = new ClientListener() {
            @Override
            public void drift(String command, List<String> found) {
                drift.addAll(found);
            }
        };
        QmpClientOptions options = QmpClientOptions.DEFAULT.withListener(listener)
                .withCallTimeout(Duration.ofSeconds(30));
        for (int attempt = 1; qmp == null; attempt++) {
            try {
                qmp = QmpClient.connect(QmpAddress.unix(socket), options);
            } catch (QmpTransportException e) {
                if (attempt == 100) { // the socket file exists between QEMU's bind() and listen()
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (qmp != null) {
            qmp.close();
        }
        if (qemu != null) {
            qemu.close();
        }
    }

    @Test
    void greetingOffersOobAndNegotiationEnablesIt() {
        assertThat(qmp.greeting().major()).isEqualTo(7);
        assertThat(qmp.greeting().minor()).isEqualTo(2);
        assertThat(qmp.greeting().capabilities()).containsExactly("oob");
        assertThat(qmp.oobEnabled()).isTrue();
        // exec-oob works only because oob was negotiated
        assertThat(qmp.execute(Request.of("query-yank").outOfBand())).isInstanceOf(JsonArray.class);
    }

    @Test
    void queriesReadTypedWithoutFailingOnWhatJqmpsSchemaLacks() {
        VersionInfo version = qmp.call("query-version", JsonObject.EMPTY, in -> VersionInfo.read(in, null));
        assertThat(version.qemu().major()).isEqualTo(7);
        StatusInfo status = qmp.call("query-status", JsonObject.EMPTY, in -> StatusInfo.read(in, null));
        assertThat(status.status()).isEqualTo(RunState.PRELAUNCH);
        assertThat(status.running()).isFalse();
        List<CommandInfo> commands = qmp.call("query-commands", JsonObject.EMPTY,
                in -> in.readList(null, () -> CommandInfo.read(in, null)));
        assertThat(commands).extracting(CommandInfo::name).contains("query-status", "getfd", "blockdev-add");
        // QEMU 7.2's whole schema through jqmp's SchemaInfo types: anything unknown is drift, not failure
        List<SchemaInfo> schema = qmp.call("query-qmp-schema", JsonObject.EMPTY,
                in -> in.readList(null, () -> SchemaInfo.read(in, null)));
        assertThat(schema).hasSizeGreaterThan(1000);
        assertThat(schema).anyMatch(s -> s instanceof SchemaInfo.Command c && c.name().equals("query-status"));
    }

    @Test
    void generatedFacadesWorkAgainstQemu() {
        assertThat(new org.jqmp.api.ControlClient(qmp).queryVersion().qemu().minor()).isEqualTo(2);
        assertThat(new org.jqmp.api.RunStateClient(qmp).queryStatus().status()).isEqualTo(RunState.PRELAUNCH);
        assertThat(new org.jqmp.api.MiscClient(qmp).queryName().name()).isNull(); // no -name given
        assertThat(new org.jqmp.api.MachineClient(qmp).queryTarget().arch())
                .isEqualTo(org.jqmp.api.SysEmuTarget.X86_64);
    }

    @Test
    void contAndStopAreSeenWithTheirEvents() {
        ReplyAndEvent resumed = qmp.executeAndWait(Request.of("cont"), e -> e.name().equals("RESUME"),
                Duration.ofSeconds(10));
        assertThat(resumed.reply()).isEqualTo(JsonObject.EMPTY);
        assertThat(resumed.event().seconds()).isPositive();
        assertThat(qmp.call("query-status", JsonObject.EMPTY, in -> StatusInfo.read(in, null)).status())
                .isEqualTo(RunState.RUNNING);
        ReplyAndEvent stopped = qmp.executeAndWait(Request.of("stop"), e -> e.name().equals("STOP"),
                Duration.ofSeconds(10));
        assertThat(stopped.event().data()).isEqualTo(JsonObject.EMPTY); // STOP has no data member
        assertThat(qmp.call("query-status", JsonObject.EMPTY, in -> StatusInfo.read(in, null)).status())
                .isEqualTo(RunState.PAUSED);
    }

    @Test
    void fdPassedWithGetfdThenClosedWithClosefd() throws Exception {
        try (FileOutputStream file = new FileOutputStream(dir.resolve("passed").toFile())) {
            JsonObject fd1 = JsonObject.builder().put("fdname", "fd1").build();
            assertThat(qmp.execute(Request.of("getfd", fd1).withFds(file.getFD()))).isEqualTo(JsonObject.EMPTY);
            assertThat(qmp.execute("closefd", fd1)).isEqualTo(JsonObject.EMPTY);
            // the qemu.qmp way: a space byte carrying the fd, then the command
            qmp.sendFds(file.getFD());
            JsonObject fd2 = JsonObject.builder().put("fdname", "fd2").build();
            assertThat(qmp.execute("getfd", fd2)).isEqualTo(JsonObject.EMPTY);
            assertThat(qmp.execute("closefd", fd2)).isEqualTo(JsonObject.EMPTY);
            assertThatThrownBy(() -> qmp.execute("closefd", fd2)).isInstanceOfSatisfying(
                    QmpErrorReplyException.class, e -> assertThat(e.desc())
                            .isEqualTo("File descriptor named 'fd2' not found"));
        }
    }

    @Test
    void errorRepliesAreValuesWithClassAndDesc() {
        assertThatThrownBy(() -> qmp.execute("getfd", JsonObject.builder().put("fdname", "x").build()))
                .isInstanceOfSatisfying(QmpErrorReplyException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("GenericError");
                    assertThat(e.desc()).isEqualTo("No file descriptor supplied via SCM_RIGHTS");
                });
        assertThatThrownBy(() -> qmp.execute("no-such-command")).isInstanceOfSatisfying(
                QmpErrorReplyException.class, e -> assertThat(e.errorClass()).isEqualTo("CommandNotFound"));
        assertThatThrownBy(() -> qmp.execute("query-status", JsonObject.builder().put("x", 1).build()))
                .isInstanceOfSatisfying(QmpErrorReplyException.class,
                        e -> assertThat(e.desc()).isEqualTo("Parameter 'x' is unexpected"));
        assertThat(qmp.isConnected()).isTrue();
    }

    @Test
    void manyCommandsInFlightOnTheRealQemu() throws Exception {
        List<java.util.concurrent.CompletableFuture<JsonValue>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(qmp.executeAsync(i % 2 == 0 ? "query-name" : "query-status", JsonObject.EMPTY));
        }
        for (int i = 0; i < 100; i++) {
            JsonObject reply = (JsonObject) calls.get(i).get();
            assertThat(reply.has(i % 2 == 0 ? "name" : "status") || reply.members().isEmpty()).isTrue();
            if (i % 2 == 1) {
                assertThat(reply.get("status")).isEqualTo(new JsonString("prelaunch"));
            }
        }
    }
}
