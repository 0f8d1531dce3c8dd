package org.jqmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.jqmp.api.CommandInfo;
import org.jqmp.api.ControlClient;
import org.jqmp.api.IntrospectClient;
import org.jqmp.api.MiscClient;
import org.jqmp.api.QMPCapability;
import org.jqmp.api.RunState;
import org.jqmp.api.RunStateClient;
import org.jqmp.api.SchemaInfo;
import org.jqmp.api.YankClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated client facades ({@code org.jqmp.api.*Client}) driven through a QmpClient against jqmp. */
class TypedClientTest {
    @TempDir
    Path dir;

    @Test
    void generatedFacadesCallTypedAndReadTyped() throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.UNIX, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address);
             EventSubscription events = qmp.subscribe("STOP", "RESUME")) {
            ControlClient control = new ControlClient(qmp);
            RunStateClient runState = new RunStateClient(qmp);
            MiscClient misc = new MiscClient(qmp);
            assertThat(control.queryVersion().qemu().major()).isEqualTo(qmp.greeting().major());
            assertThat(control.queryCommands()).extracting(CommandInfo::name)
                    .contains("query-status", "stop", "cont", "getfd");
            assertThat(runState.queryStatus().status()).isEqualTo(RunState.RUNNING);
            misc.stop();
            assertThat(runState.queryStatusAsync().get().status()).isEqualTo(RunState.PAUSED);
            misc.cont();
            assertThat(List.of(events.poll().name(), events.poll().name())).containsExactly("STOP", "RESUME");
            assertThat(misc.queryName().name()).isEqualTo("test-vm");
            // a union read typed: the monitor's own chardev can be yanked
            assertThat(new YankClient(qmp).queryYank()).containsExactly(new org.jqmp.api.YankInstance.Chardev(
                    new org.jqmp.api.YankInstanceChardev("mon0")));
            List<SchemaInfo> schema = new IntrospectClient(qmp).queryQmpSchema();
            assertThat(schema).anyMatch(s -> s.name().equals("query-status"));
        }
    }

    @Test
    void errorRepliesComeThroughTheFacadeAsErrorReplies() throws Exception {
        try (JqmpServer jqmp = JqmpServer.start(JqmpServer.Transport.TCP, dir);
             QmpClient qmp = QmpClient.connect(jqmp.address)) {
            assertThatThrownBy(() -> new MiscClient(qmp).closefd("missing"))
                    .isInstanceOfSatisfying(QmpErrorReplyException.class, e -> assertThat(e.desc())
                            .isEqualTo("File descriptor named 'missing' not found"));
            // arguments are written by the generated records: a second negotiation is refused by the server
            assertThatThrownBy(() -> new ControlClient(qmp).qmpCapabilities(List.of(QMPCapability.OOB)))
                    .isInstanceOfSatisfying(QmpErrorReplyException.class,
                            e -> assertThat(e.errorClass()).isEqualTo("CommandNotFound"));
        }
    }
}
