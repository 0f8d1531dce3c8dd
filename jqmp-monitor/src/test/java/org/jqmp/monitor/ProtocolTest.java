package org.jqmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The protocol as a client sees it, over real Unix and TCP sockets. */
class ProtocolTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void greetingOffersOobAndNamesTheVersion(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir); RawClient c = f.connect()) {
            String line = c.readLine();
            assertThat(line).startsWith("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
                    + "\"package\": \"jqmp ").endsWith("\"}, \"capabilities\": [\"oob\"]}}");
        }
    }

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void negotiationModeRefusesEverythingButQmpCapabilities(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir); RawClient c = f.connect()) {
            c.readLine();
            c.send("{\"execute\":\"query-version\",\"id\":1}");
            assertThat(c.readLine()).isEqualTo("{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", "
                    + "\"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}");
            c.send("{\"execute\":\"no-such\"}");
            assertThat(c.readLine()).contains("Expecting capabilities negotiation with 'qmp_capabilities'");
            c.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"no-such-cap\"]}}");
            assertThat(c.readLine()).isEqualTo("{\"error\": {\"class\": \"GenericError\", "
                    + "\"desc\": \"Parameter 'null' does not accept value 'no-such-cap'\"}}");
            c.send("{\"execute\":\"qmp_capabilities\"}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            c.send("{\"execute\":\"qmp_capabilities\"}");
            assertThat(c.readLine()).isEqualTo("{\"error\": {\"class\": \"CommandNotFound\", "
                    + "\"desc\": \"Capabilities negotiation is already complete, command ignored\"}}");
            c.send("{\"execute\":\"query-version\"}");
            assertThat(c.readObject().get("return")).isInstanceOf(JsonObject.class);
        }
    }

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void idIsEchoedVerbatimWhateverItsType(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir); RawClient c = f.connect()) {
            c.negotiate(false);
            c.send("{\"execute\":\"query-yank\",\"id\":{\"a\":[1,2.5,null,true]}}");
            assertThat(c.readLine()).endsWith(", \"id\": {\"a\": [1, 2.5, null, true]}}");
            c.send("{'execute':'query-yank','id':'single-quoted'}");
            assertThat(c.readLine()).endsWith(", \"id\": \"single-quoted\"}");
            c.send("{\"execute\":\"query-yank\",\"id\":\"__qmp#00001\"}");
            assertThat(c.readLine()).endsWith(", \"id\": \"__qmp#00001\"}");
            c.send("{\"id\":\"only-id\"}");
            assertThat(c.readLine()).isEqualTo("{\"id\": \"only-id\", \"error\": {\"class\": \"GenericError\", "
                    + "\"desc\": \"QMP input lacks member 'execute'\"}}");
        }
    }

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void inputIsFramedByStructureNotByLines(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir); RawClient c = f.connect()) {
            c.negotiate(false);
            // two messages on one line, no newline at all (QEMU's Python client sends none)
            c.send("{\"execute\":\"query-yank\",\"id\":1}{\"execute\":\"query-yank\",\"id\":2}");
            assertThat(c.readLine()).endsWith("\"id\": 1}");
            assertThat(c.readLine()).endsWith("\"id\": 2}");
            // one message over several writes and lines
            c.send("{\"execute\":\n");
            c.send("\"query-yank\",");
            assertThat(c.silentFor(Duration.ofMillis(200))).isTrue();
            c.send("\"id\":3}");
            assertThat(c.readLine()).endsWith("\"id\": 3}");
        }
    }

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void resyncByteGivesOneErrorThenTheNextCommandRuns(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir); RawClient c = f.connect()) {
            c.readLine();
            c.send(new byte[] {'{', (byte) 0xFF});
            c.send("{'execute':'no-such-cmd'}");
            JsonObject first = c.readObject();
            assertThat(((JsonObject) first.get("error")).get("class")).isEqualTo(new JsonString("GenericError"));
            JsonObject second = c.readObject();
            assertThat(((JsonObject) second.get("error")).get("class")).isEqualTo(new JsonString("CommandNotFound"));
            assertThat(c.silentFor(Duration.ofMillis(200))).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void envelopeErrorsInQemuOrder(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir); RawClient c = f.connect()) {
            c.negotiate(false);
            String[][] cases = {
                {"null", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}"},
                {"[]", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}"},
                {"{}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member 'execute'\"}}"},
                {"{\"execute\":true}", "{\"error\": {\"class\": \"GenericError\", "
                        + "\"desc\": \"QMP input member 'execute' must be a string\"}}"},
                {"{\"execute\":\"query-yank\",\"arguments\":[]}", "{\"error\": {\"class\": \"GenericError\", "
                        + "\"desc\": \"QMP input member 'arguments' must be an object\"}}"},
                {"{\"execute\":\"query-yank\",\"extra\":1,\"id\":3}", "{\"id\": 3, \"error\": {\"class\": "
                        + "\"GenericError\", \"desc\": \"QMP input member 'extra' is unexpected\"}}"},
                {"{\"exec-oob\":\"query-yank\",\"id\":\"x\"}", "{\"id\": \"x\", \"error\": {\"class\": "
                        + "\"GenericError\", \"desc\": \"QMP input member 'exec-oob' is unexpected\"}}"},
                {"{\"execute\":\"no-such-cmd\",\"id\":7}", "{\"id\": 7, \"error\": {\"class\": \"CommandNotFound\", "
                        + "\"desc\": \"The command no-such-cmd has not been found\"}}"},
                {"{\"execute\":\"query-version\",\"arguments\":{\"x\":1}}", "{\"error\": {\"class\": "
                        + "\"GenericError\", \"desc\": \"Parameter 'x' is unexpected\"}}"},
                {"{\"execute\":\"getfd\",\"arguments\":{}}", "{\"error\": {\"class\": \"GenericError\", "
                        + "\"desc\": \"Parameter 'fdname' is missing\"}}"},
                {"{\"execute\":\"getfd\",\"arguments\":{\"fdname\":5}}", "{\"error\": {\"class\": \"GenericError\", "
                        + "\"desc\": \"Invalid parameter type for 'fdname', expected: string\"}}"},
                {"{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"x\"}}", "{\"error\": {\"class\": "
                        + "\"GenericError\", \"desc\": \"No file descriptor supplied via SCM_RIGHTS\"}}"},
                {"{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"nope\"}}", "{\"error\": {\"class\": "
                        + "\"GenericError\", \"desc\": \"File descriptor named 'nope' not found\"}}"},
            };
            for (String[] step : cases) {
                c.send(step[0] + "\n"); // a top-level keyword ends only at the next byte, in QEMU too
                assertThat(c.readLine()).as(step[0]).isEqualTo(step[1]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void queryCommandsListsTheTable(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir); RawClient c = f.connect()) {
            c.negotiate(false);
            c.send("{\"execute\":\"query-commands\"}");
            JsonArray list = (JsonArray) c.readObject().get("return");
            assertThat(list.elements()).extracting(v -> ((JsonObject) v).get("name"))
                    .contains(new JsonString("qmp_capabilities"), new JsonString("query-version"),
                            new JsonString("getfd"), new JsonString("closefd"), new JsonString("quit"),
                            new JsonString("query-yank"), new JsonString("yank"));
        }
    }

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void severalClientsOnOneSocketEachHaveTheirOwnSession(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir);
             RawClient a = f.connect(); RawClient b = f.connect(); RawClient c = f.connect()) {
            a.negotiate(false);
            b.readLine(); // b stays in negotiation mode
            c.negotiate(true);
            b.send("{\"execute\":\"query-yank\"}");
            assertThat(b.readLine()).contains("Expecting capabilities negotiation");
            a.send("{\"execute\":\"query-yank\",\"id\":\"a\"}");
            c.send("{\"execute\":\"query-yank\",\"id\":\"c\"}");
            assertThat(a.readLine()).endsWith("\"id\": \"a\"}");
            assertThat(c.readLine()).endsWith("\"id\": \"c\"}");
        }
    }

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void quitSendsShutdownThenReplyThenCloses(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir); RawClient c = f.connect()) {
            c.negotiate(false);
            c.send("{\"execute\":\"quit\"}");
            JsonObject event = c.readObject();
            assertThat(event.get("event")).isEqualTo(new JsonString("SHUTDOWN"));
            assertThat(event.get("data").toString()).contains("host-qmp-quit");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(ServerFixture.Transport.class)
    void outputIsAsciiOnly(ServerFixture.Transport transport) throws Exception {
        try (ServerFixture f = ServerFixture.start(transport, dir); RawClient c = f.connect()) {
            c.negotiate(false);
            c.send("{\"execute\":\"query-yank\",\"id\":\"\u00e9\uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readLine()).endsWith("\"id\": \"\\u00E9\\uD83D\\uDE00\"}");
        }
    }
}
