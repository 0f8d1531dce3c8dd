package org.jqmp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jqmp qapi} as its own process: a successful run ends by returning from {@code main} (not System.exit),
 * so it must still end, with status 0; failures keep their exit codes.
 */
class QapiProcessTest {
    @Test
    void genEndsWithStatusZero(@TempDir Path dir) throws Exception {
        Result r = run("qapi", "gen", "-o", dir.toString(), "../schema/qapi-schema.json");
        assertThat(r.status()).as(r.output()).isZero();
        assertThat(r.output()).contains("jqmp qapi: wrote ");
        assertThat(dir.resolve("org/jqmp/qapi/generated/QmpCommandTable.java")).isRegularFile();
    }

    @Test
    void schemaErrorEndsWithStatusOne(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{ 'enum': 'Foo', 'data': [ 'a', 'a' ] }\n");
        Result r = run("qapi", "check", bad.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.output()).contains("bad.json");
    }

    @Test
    void usageErrorEndsWithStatusTwo() throws Exception {
        Result r = run("qapi", "frobnicate");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.output()).contains("unknown command 'frobnicate'");
    }

    private record Result(int status, String output) {
    }

    /** This JVM's java on the test class path; a run that does not end within a minute fails the test. */
    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "org.jqmp.cli.Main"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("jqmp-qapi", ".log");
        try {
            // output into a file, not a pipe: a process that does not end would keep a pipe's reader waiting
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String output = Files.readString(log);
            assertThat(ended).as("jqmp %s ended; output: %s", String.join(" ", args), output).isTrue();
            return new Result(p.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
