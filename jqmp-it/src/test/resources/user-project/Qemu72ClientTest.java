package com.example.qemu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.qemu.ControlClient;
import com.example.qemu.MiscClient;
import com.example.qemu.ObjectPropertyInfo;
import com.example.qemu.QomClient;
import com.example.qemu.RunState;
import com.example.qemu.RunStateClient;
import com.example.qemu.StatusInfo;
import com.example.qemu.VersionInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmp.client.EventSubscription;
import org.jqmp.client.QmpAddress;
import org.jqmp.client.QmpClient;
import org.jqmp.client.QmpErrorReplyException;
import org.jqmp.client.QmpEvent;
import org.junit.jupiter.api.Test;

/**
 * A user's own test, compiled and run inside the user's build: the client facades the jqmp-maven-plugin
 * generated from QEMU 7.2's schema (package com.example.qemu), called through jqmp-client's QmpClient against
 * the QEMU whose monitor socket QMP_SOCKET names (started with -S, so it waits in prelaunch).
 */
class Qemu72ClientTest {
    private static final Duration WAIT = Duration.ofSeconds(30); // a bound on a hang, not a speed check

    @Test
    void typedCallsThroughQmpClient() throws Exception {
        String socket = System.getenv("QMP_SOCKET");
        assertNotNull(socket, "QMP_SOCKET names the monitor socket of the QEMU under test");
        try (QmpClient qmp = QmpClient.connect(QmpAddress.parse(socket));
                EventSubscription resumed = qmp.subscribe("RESUME")) {
            assertTrue(qmp.oobEnabled(), "QEMU 7.2 offers oob and the client takes it");
            ControlClient control = new ControlClient(qmp);
            RunStateClient runState = new RunStateClient(qmp);
            MiscClient misc = new MiscClient(qmp);
            QomClient qom = new QomClient(qmp);

            VersionInfo version = control.queryVersion();
            assertEquals(7, version.qemu().major());
            assertEquals(2, version.qemu().minor());

            StatusInfo before = runState.queryStatus();
            assertEquals(RunState.PRELAUNCH, before.status());
            assertFalse(before.running());

            misc.cont();
            QmpEvent event = resumed.poll(WAIT);
            assertNotNull(event, "RESUME after cont");
            StatusInfo after = runState.queryStatusAsync().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(RunState.RUNNING, after.status());
            assertTrue(after.running());

            // a command with arguments, its list of structs read typed
            List<ObjectPropertyInfo> properties = qom.qomList("/machine");
            assertTrue(properties.stream().anyMatch(p -> p.name().equals("type")), properties.toString());

            // an error reply: class and desc, as QEMU 7.2 words them
            QmpErrorReplyException missingFd = assertThrows(QmpErrorReplyException.class,
                    () -> misc.closefd("missing"));
            assertEquals("GenericError", missingFd.errorClass());
            assertEquals("File descriptor named 'missing' not found", missingFd.desc());
            QmpErrorReplyException missingPath = assertThrows(QmpErrorReplyException.class,
                    () -> qom.qomList("/machine/no-such-child"));
            assertEquals("DeviceNotFound", missingPath.errorClass());
        }
    }
}
