package org.jqmp.api.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmp.api.runtime.CommandTable;
import org.jqmp.qapi.DocRules;
import org.jqmp.qapi.QapiCompiler;
import org.jqmp.qapi.QapiLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java generated from QEMU's own schemas (7.2 and 10.2, read in place from {@code shared/fixtures}) compiles
 * without a warning, and its command table holds every command the schema declares with a marshaller.
 */
class QemuSchemaCompilesTest {
    private static final Path FIXTURES = Path.of("../../shared/fixtures/qapi");

    private static Path require(String relative) {
        Path p = FIXTURES.resolve(relative);
        assumeTrue(Files.exists(p), "QEMU schema " + p.toAbsolutePath().normalize() + " is absent; skipping");
        return p;
    }

    @Test
    void qemu72Compiles(@TempDir Path work) throws Exception {
        var schema = new QapiCompiler(DocRules.LEGACY, QapiLimits.DEFAULT).compile(require("qemu-7.2/qapi-schema.json"));
        CommandTable table = CompiledSchema.compile(schema, "org.qemu.v72", work).table();
        // every command but those with 'gen': false (device_add), which QEMU registers by hand
        assertThat(table.all()).hasSize((int) schema.commands().stream().filter(c -> c.gen()).count())
                .hasSize(219);
        assertThat(table.lookup("query-qmp-schema")).isNotNull();
    }

    @Test
    void qemu102Compiles(@TempDir Path work) throws Exception {
        var schema = QapiCompiler.check(require("qemu-10.2/qapi-schema.json"));
        CommandTable table = CompiledSchema.compile(schema, "org.qemu.v102", work).table();
        assertThat(table.lookup("query-qmp-schema")).isNotNull();
        assertThat(table.all()).hasSize((int) schema.commands().stream().filter(c -> c.gen()).count());
    }
}
