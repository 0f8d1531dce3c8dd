package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken input ends in a QapiError naming the input and the limit; the CLI entry's exit codes. */
class LimitsAndEntryPointTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static QapiError failure(QapiCompiler compiler, Path file) {
        return catchThrowableOfType(QapiError.class, () -> compiler.compile(file));
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedUnread() throws IOException {
        Path big = write("big.json", "# " + "x".repeat(200) + "\n");
        QapiCompiler small = new QapiCompiler(DocRules.CURRENT, new QapiLimits(100, 100, 64, 4096, 500));
        assertThat(failure(small, big).getMessage()).isEqualTo("can't read schema file '" + big
                + "': file is larger than QapiLimits.maxFileBytes (100 bytes)");
    }

    @Test
    void includeChainsAreBounded() throws IOException {
        for (int i = 0; i < 5; i++) {
            write("level" + i + ".json", "{ 'include': 'level" + (i + 1) + ".json' }\n");
        }
        write("level5.json", "");
        QapiCompiler shallow = new QapiCompiler(DocRules.CURRENT, new QapiLimits(1 << 20, 100, 3, 4096, 500));
        QapiError e = failure(shallow, dir.resolve("level0.json"));
        assertThat(e.reason()).isEqualTo("includes nested deeper than QapiLimits.maxIncludeDepth (3)");
        assertThat(e.context()).hasSize(3);
        assertThat(new QapiCompiler().compile(dir.resolve("level0.json")).commands()).isEmpty();
        QapiCompiler fewFiles = new QapiCompiler(DocRules.CURRENT, new QapiLimits(1 << 20, 100, 64, 2, 500));
        assertThat(failure(fewFiles, dir.resolve("level0.json")).reason())
                .isEqualTo("schema has more files than QapiLimits.maxFiles (2)");
    }

    @Test
    void longBaseChainsAreBoundedNotAStackOverflow() throws IOException {
        StringBuilder sb = new StringBuilder("{ 'struct': 'Tn0', 'data': {} }\n");
        for (int i = 1; i <= 2000; i++) {
            sb.append("{ 'struct': 'Tn").append(i).append("', 'base': 'Tn").append(i - 1).append("', 'data': {} }\n");
        }
        // forward order checks each base before its user: fine however long
        assertThat(QapiCompiler.check(write("chain.json", sb.toString())).definitions()).hasSizeGreaterThan(2000);
        StringBuilder reversed = new StringBuilder();
        for (int i = 2000; i >= 1; i--) {
            reversed.append("{ 'struct': 'Tn").append(i).append("', 'base': 'Tn").append(i - 1).append("', 'data': {} }\n");
        }
        reversed.append("{ 'struct': 'Tn0', 'data': {} }\n");
        QapiError e = catchThrowableOfType(QapiError.class, () -> QapiCompiler.check(write("deep.json",
                reversed.toString())));
        assertThat(e.reason()).isEqualTo("types nested deeper than QapiLimits.maxTypeDepth (500)");
    }

    @Test
    void invalidUtf8AndDirectoriesAreReadErrors() throws IOException {
        Path bad = dir.resolve("latin1.json");
        Files.write(bad, new byte[] {'#', ' ', (byte) 0xe9, '\n'});
        assertThat(failure(new QapiCompiler(), bad).getMessage())
                .isEqualTo("can't read schema file '" + bad + "': not valid UTF-8");
        Files.createDirectory(dir.resolve("sub"));
        Path main = write("main.json", "{ 'include': 'sub' }\n");
        assertThat(failure(new QapiCompiler(), main).getMessage())
                .isEqualTo(main + ":1: can't read include file '" + dir.resolve("sub") + "': Is a directory");
    }

    @Test
    void checkCommandExitCodes() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Path good = write("ok.json", "{ 'command': 'ping' }\n");
        assertThat(new QapiCompiler().checkCommand(good, errStream)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        Path bad = write("bad.json", "{ 'command': 'ping', 'returns': 'int' }\n");
        assertThat(new QapiCompiler().checkCommand(bad, errStream)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(bad + ": In command 'ping':\n" + bad
                + ":1: command's 'returns' cannot take built-in type 'int'\n");
    }
}
