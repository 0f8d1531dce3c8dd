package org.jqmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.jqmp.api.RunState;
import org.jqmp.api.StatusInfo;
import org.jqmp.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real QEMU 7.2 started with {@code -qmp unix:PATH} (client mode): it connects to the client's listener. */
class QemuConnectsOutTest {
    @TempDir
    Path dir;

    @Test
    void clientAcceptsQemuAndNegotiates() throws Exception {
        QmpAddress address = new QmpAddress.Unix(dir.resolve("listen.sock"));
        try (QmpListener listener = QmpListener.bind(address);
             RealQemu qemu = RealQemu.start(dir, "unix:" + dir.resolve("listen.sock"));
             QmpClient qmp = QmpClient.accept(listener, QmpClientOptions.DEFAULT
                     .withConnectTimeout(Duration.ofSeconds(20)))) {
            assertThat(qmp.greeting().major()).isEqualTo(7);
            assertThat(qmp.oobEnabled()).isTrue();
            assertThat(qmp.call("query-status", JsonObject.EMPTY, in -> StatusInfo.read(in, null)).status())
                    .isEqualTo(RunState.PRELAUNCH);
            assertThat(qemu.isAlive()).isTrue();
        }
    }
}
