package org.jqmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jqmp.json.JsonInt;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events reach every negotiated session, in QEMU's shape, throttled as QEMU throttles them. */
class EventTest {
    @TempDir
    Path dir;

    @Test
    void eventGoesToNegotiatedSessionsOnly() throws Exception {
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir);
             RawClient a = f.connect(); RawClient b = f.connect(); RawClient waiting = f.connect()) {
            a.negotiate(false);
            b.negotiate(true);
            waiting.readLine();
            f.server.events().emit("STOP", null);
            f.server.events().emit("RESET", JsonObject.builder().put("guest", false)
                    .put("reason", "host-qmp-system-reset").build());
            for (RawClient c : new RawClient[] {a, b}) {
                String stop = c.readLine();
                assertThat(stop).matches("\\{\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+}, "
                        + "\"event\": \"STOP\"}");
                assertThat(c.readLine()).endsWith("\"event\": \"RESET\", "
                        + "\"data\": {\"guest\": false, \"reason\": \"host-qmp-system-reset\"}}");
            }
            assertThat(waiting.silentFor(Duration.ofMillis(200))).isTrue();
            // nothing was queued for it either: after negotiating, no old events arrive
            waiting.send("{\"execute\":\"qmp_capabilities\"}");
            assertThat(waiting.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(waiting.silentFor(Duration.ofMillis(200))).isTrue();
        }
    }

    @Test
    void emptyDataIsLeftOut() throws Exception {
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir); RawClient a = f.connect()) {
            a.negotiate(false);
            f.server.events().emit("POWERDOWN", JsonObject.EMPTY);
            assertThat(a.readLine()).doesNotContain("\"data\"");
        }
    }

    @Test
    void throttledEventSendsFirstAtOnceDropsMiddleDelaysLast() throws Exception {
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir); RawClient a = f.connect()) {
            a.negotiate(false);
            for (int i = 1; i <= 3; i++) {
                f.server.events().emit("RTC_CHANGE", JsonObject.builder().put("offset", i)
                        .put("qom-path", "/machine/unattached/device[0]").build());
            }
            f.server.events().emit("STOP", null); // not throttled: overtakes the delayed RTC_CHANGE
            JsonObject first = a.readObject();
            assertThat(((JsonObject) first.get("data")).get("offset").toString()).contains("1");
            assertThat(a.readObject().get("event")).isEqualTo(new JsonString("STOP"));
            JsonObject last = a.readObject();
            assertThat(last.get("event")).isEqualTo(new JsonString("RTC_CHANGE"));
            assertThat(((JsonObject) last.get("data")).get("offset").toString()).contains("3");
            // the delayed one keeps the time it happened, which is before it was sent
            assertThat(seconds(last) - seconds(first)).isBetween(0L, 1L);
            assertThat(a.silentFor(Duration.ofMillis(1300))).isTrue();
        }
    }

    private static long seconds(JsonObject event) {
        return ((JsonInt) ((JsonObject) event.get("timestamp")).get("seconds")).value();
    }

    @Test
    void throttleKeyIncludesTheQomPathForBlockIoError() throws Exception {
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir); RawClient a = f.connect()) {
            a.negotiate(false);
            for (String path : new String[] {"/a", "/b", "/a"}) {
                f.server.events().emit("BLOCK_IO_ERROR", JsonObject.builder().put("qom-path", path)
                        .put("device", "d").put("operation", "write").put("action", "report").build());
            }
            assertThat(a.readLine()).contains("\"qom-path\": \"/a\"");
            assertThat(a.readLine()).contains("\"qom-path\": \"/b\"");
            assertThat(a.readLine()).contains("\"qom-path\": \"/a\""); // delayed about a second
        }
    }

    @Test
    void blockIoErrorsWithoutQomPathAreThrottledPerDrive() throws Exception {
        // QEMU 7.2's shape: device and node-name, no qom-path
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir); RawClient a = f.connect()) {
            a.negotiate(false);
            String[][] errors = {{"disk0", "#block123"}, {"disk0", "#block123"}, {"disk1", "#block456"},
                {"disk1", "#block456"}, {"", "ext0"}};
            for (String[] e : errors) {
                f.server.events().emit("BLOCK_IO_ERROR", JsonObject.builder().put("device", e[0])
                        .put("node-name", e[1]).put("operation", "write").put("action", "report")
                        .put("nospace", true).put("reason", "No space left on device").build());
            }
            assertThat(a.readLine()).contains("\"device\": \"disk0\"");
            assertThat(a.readLine()).contains("\"device\": \"disk1\"");
            assertThat(a.readLine()).contains("\"node-name\": \"ext0\"");
            // then the last of each drive's window, about a second later
            List<String> delayed = List.of(a.readLine(), a.readLine());
            assertThat(delayed).anyMatch(l -> l.contains("\"device\": \"disk0\""))
                    .anyMatch(l -> l.contains("\"device\": \"disk1\""));
        }
    }
}
