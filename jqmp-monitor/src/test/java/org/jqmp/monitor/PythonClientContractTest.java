package org.jqmp.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * What QEMU's Python client ({@code qemu.qmp}, reference §6.5) needs of a server, done the way it does it:
 * compact JSON ({@code separators=(',', ':')}) with no newline after a message, {@code __qmp#NNNNN} string ids,
 * {@code oob} enabled because the greeting offers it, {@code exec-oob} of query-yank, and an fd carried by a
 * single space byte followed by {@code getfd}. Every reply must be one JSON object on one CRLF-ended line.
 */
class PythonClientContractTest {
    @TempDir
    Path dir;

    @Test
    void aSessionAsQemuQmpRunsIt() throws Exception {
        try (ServerFixture f = ServerFixture.start(ServerFixture.Transport.UNIX, dir); RawClient c = f.connect();
             AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            // models.Greeting: QMP an object, QMP.version an object, QMP.capabilities an array
            JsonObject qmp = (JsonObject) c.readObject().get("QMP");
            assertThat(qmp.get("version")).isInstanceOf(JsonObject.class);
            JsonArray capabilities = (JsonArray) qmp.get("capabilities");
            assertThat(capabilities.elements()).contains(new JsonString("oob"));
            // _establish_session: qmp_capabilities with oob, no id, no trailing newline; needs "return"
            c.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}");
            assertThat(c.readObject().has("return")).isTrue();
            // execute(): ids "__qmp#%05d", routed by id
            c.send("{\"execute\":\"query-version\",\"id\":\"__qmp#00001\"}");
            JsonObject reply = c.readObject();
            assertThat(reply.get("id")).isEqualTo(new JsonString("__qmp#00001"));
            assertThat(reply.has("return")).isTrue();
            // execute(oob=True)
            c.send("{\"exec-oob\":\"query-yank\",\"id\":\"__qmp#00002\"}");
            reply = c.readObject();
            assertThat(reply.get("id")).isEqualTo(new JsonString("__qmp#00002"));
            assertThat(reply.get("return")).isInstanceOf(JsonArray.class);
            // send_fd_scm(): sendmsg([b' '], SCM_RIGHTS), then getfd with a name
            c.sendWithFds(" ".getBytes(StandardCharsets.US_ASCII), pair.getSocket1().getFileDescriptor());
            c.send("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"fd0\"},\"id\":\"__qmp#00003\"}");
            assertThat(c.readLine()).isEqualTo("{\"return\": {}, \"id\": \"__qmp#00003\"}");
            // ErrorResponse: class and desc are strings, id echoed
            c.send("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"nope\"},\"id\":\"__qmp#00004\"}");
            JsonObject error = (JsonObject) c.readObject().get("error");
            assertThat(error.get("class")).isInstanceOf(JsonString.class);
            assertThat(error.get("desc")).isInstanceOf(JsonString.class);
        }
    }
}
