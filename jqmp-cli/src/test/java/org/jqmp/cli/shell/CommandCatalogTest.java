package org.jqmp.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jqmp.client.QmpAddress;
import org.jqmp.client.QmpClient;
import org.jqmp.json.Json;
import org.jqmp.monitor.MonitorConfig;
import org.jqmp.monitor.QmpServer;
import org.jqmp.monitor.chardev.SocketAddressConfig;
import org.jqmp.monitor.chardev.SocketChardevConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion candidates from a schema written here, and from a jqmp server's own introspection. */
class CommandCatalogTest {
    @TempDir
    Path dir;

    // SchemaInfo as qapi/introspect.json has it: masked type names, a union with a variant
    private static final CommandCatalog CATALOG = CommandCatalog.of(
            Json.parse("[{\"name\": \"stop\"}, {\"name\": \"blockdev-add\"}, {\"name\": \"query-status\"}]"),
            Json.parse("""
                    [{"name": "blockdev-add", "meta-type": "command", "arg-type": "1", "ret-type": "0"},
                     {"name": "1", "meta-type": "object", "tag": "driver",
                      "members": [{"name": "driver", "type": "str"}, {"name": "node-name", "type": "str"},
                                  {"name": "cache", "type": "2"}],
                      "variants": [{"case": "file", "type": "3"}]},
                     {"name": "2", "meta-type": "object",
                      "members": [{"name": "direct", "type": "bool"}, {"name": "no-flush", "type": "bool"}]},
                     {"name": "3", "meta-type": "object", "members": [{"name": "filename", "type": "str"}]},
                     {"name": "str", "meta-type": "builtin", "json-type": "string"}]
                    """));

    @Test
    void commandNamesAreSorted() {
        assertThat(CATALOG.commands()).containsExactly("blockdev-add", "query-status", "stop");
    }

    @Test
    void argumentNamesIncludeVariantMembersAndObjectMembersOfferADot() {
        assertThat(CATALOG.arguments("blockdev-add", ""))
                .containsExactly("cache.", "cache=", "driver=", "filename=", "node-name=");
        assertThat(CATALOG.arguments("blockdev-add", "n")).containsExactly("node-name=");
        assertThat(CATALOG.arguments("blockdev-add", "cache.n")).containsExactly("cache.no-flush=");
    }

    @Test
    void nothingForValuesUnknownCommandsOrUnknownPaths() {
        assertThat(CATALOG.arguments("blockdev-add", "driver=q")).isEmpty();
        assertThat(CATALOG.arguments("no-such", "")).isEmpty();
        assertThat(CATALOG.arguments("stop", "")).isEmpty();
        assertThat(CATALOG.arguments("blockdev-add", "driver.x")).isEmpty();
        assertThat(CommandCatalog.of(null, null).commands()).isEmpty();
    }

    @Test
    void fromAJqmpServersIntrospection() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        try (QmpServer server = QmpServer.builder().build()) {
            server.start(List.of(new SocketChardevConfig("mon0", new SocketAddressConfig.Unix(socket), true, false, 0,
                    "unix:" + socket + ",server=on")), List.of(new MonitorConfig("mon0", false)));
            try (QmpClient qmp = QmpClient.connect(QmpAddress.parse(socket.toString()))) {
                CommandCatalog catalog = ShellSession.catalog(qmp);
                assertThat(catalog.commands()).contains("getfd", "query-version", "qmp_capabilities");
                assertThat(catalog.arguments("getfd", "")).containsExactly("fdname=");
                assertThat(catalog.arguments("yank", "")).containsExactly("instances=");
            }
        }
    }
}
