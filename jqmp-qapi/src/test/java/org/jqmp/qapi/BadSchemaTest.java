package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The error catalogue: every {@code bad/NAME.json} must fail with exactly the text of {@code bad/NAME.err}
 * (QEMU's message, location and context lines), after stripping the directory prefix as QEMU's
 * tests/qapi-schema harness does. Files without an .err are only included by others.
 */
class BadSchemaTest {
    private static final Path DIR = Path.of("src/test/resources/bad");

    @TestFactory
    Stream<DynamicTest> eachBadSchemaFailsWithQemusMessage() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".err")).sorted().toList().stream()
                    .map(err -> DynamicTest.dynamicTest(err.getFileName().toString(), () -> check(err)));
        }
    }

    private static void check(Path err) throws IOException {
        String name = err.getFileName().toString().replace(".err", ".json");
        String expected = Files.readString(err).stripTrailing();
        QapiError e = catchThrowableOfType(QapiError.class, () -> QapiCompiler.check(DIR.resolve(name)));
        assertThat(e).as("%s must fail", name).isNotNull();
        assertThat(e.getMessage().replace(DIR + "/", "")).isEqualTo(expected);
    }

    @Test
    void theCatalogueIsBroad() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(files.filter(p -> p.toString().endsWith(".err")).count()).isGreaterThanOrEqualTo(150);
        }
    }

    @Test
    void aMissingMainFileHasNoLocation() {
        assertThatThrownBy(() -> QapiCompiler.check(DIR.resolve("no-such-schema.json")))
                .isInstanceOfSatisfying(QapiError.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("can't read schema file '" + DIR.resolve(
                            "no-such-schema.json") + "': No such file or directory");
                    assertThat(e.file()).isEmpty();
                });
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        QapiError e = catchThrowableOfType(QapiError.class,
                () -> QapiCompiler.check(DIR.resolve("missing-colon.json")));
        assertThat(e.file()).contains(DIR.resolve("missing-colon.json").toString());
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(10);
        assertThat(e.reason()).isEqualTo("expected ':'");
        assertThat(e.context()).isEmpty();
    }

    @Test
    void semanticErrorsCarryTheDefinitionContext() {
        QapiError e = catchThrowableOfType(QapiError.class,
                () -> QapiCompiler.check(DIR.resolve("unknown-member-type.json")));
        assertThat(e.column()).isZero();
        assertThat(e.context()).containsExactly(DIR.resolve("unknown-member-type.json") + ": In struct 'Box':");
    }
}
