package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jqmp qapi check|gen|doc}: exit codes, messages and written files. */
class QapiToolTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return QapiTool.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("missing command").contains("usage: jqmp qapi check");
        assertThat(run("gen", "x.json")).isEqualTo(2);
        assertThat(err()).contains("gen needs -o DIR");
        assertThat(run("check", "--bogus", "x.json")).isEqualTo(2);
        assertThat(run("gen", "-o", "d", "--package", "9x", "x.json")).isEqualTo(2);
        assertThat(err()).contains("'9x' is not a Java package name");
    }

    @Test
    void checkReportsQemusMessage(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{ 'command': 'x', 'data': { 'a': 'nope' } }\n");
        assertThat(run("check", bad.toString())).isEqualTo(1);
        assertThat(err()).contains("bad.json: In command 'x':").contains("uses unknown type 'nope'");
        assertThat(run("check", "src/test/resources/gen/demo.json")).isZero();
    }

    @Test
    void genAndDocWriteFiles(@TempDir Path dir) {
        assertThat(run("gen", "-o", dir.resolve("java").toString(), "--package", "org.example.qmp",
                "src/test/resources/gen/demo.json")).isZero();
        assertThat(dir.resolve("java/org/example/qmp/QmpCommandTable.java")).exists();
        assertThat(run("doc", "-o", dir.resolve("md").toString(), "src/test/resources/gen/demo.json")).isZero();
        assertThat(dir.resolve("md/demo-sub.md")).exists();
        assertThat(dir.resolve("md/index.md")).content().contains("[demo.json](demo.md)");
    }

    @Test
    void qemu72NeedsLegacyDocRules(@TempDir Path dir) {
        String schema = QemuFixtures.require("qapi/qemu-7.2/qapi-schema.json").toString();
        assertThat(run("check", "--legacy-docs", schema)).isZero();
    }
}
