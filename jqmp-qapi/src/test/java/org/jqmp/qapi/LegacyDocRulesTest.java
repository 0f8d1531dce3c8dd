package org.jqmp.qapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jqmp.qapi.model.DocComment;
import org.jqmp.qapi.model.DocSection;
import org.jqmp.qapi.model.DocSection.Kind;
import org.jqmp.qapi.model.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** QEMU 7.2's doc comment rules ({@link DocRules#LEGACY}): what they accept and what they reject. */
class LegacyDocRulesTest {
    private static final Path BAD = Path.of("src/test/resources/bad-legacy");
    private static final QapiCompiler LEGACY = new QapiCompiler(DocRules.LEGACY, QapiLimits.DEFAULT);

    @Test
    void acceptsWhat72Wrote() {
        Path file = Path.of("src/test/resources/good-legacy/legacy.json");
        Schema schema = LEGACY.compile(file);
        DocComment doc = schema.type("Box").orElseThrow().doc().orElseThrow();
        assertThat(doc.member("lid")).get().extracting(DocSection::text)
                .isEqualTo("whether it has a lid,\nwhich 7.2 allowed to continue unindented\n@size : not a description"
                        + " in 7.2, just text");
        assertThat(doc.member("size")).get().extracting(DocSection::text).isEqualTo("");
        assertThat(doc.section(Kind.NOTE)).get().extracting(DocSection::text).isEqualTo("boxes are square.");
        assertThat(doc.section(Kind.EXAMPLE)).get().extracting(DocSection::text).asString()
                .startsWith("-> { \"execute\"");
        assertThat(doc.since()).contains("1.0");
        // the same file breaks the current rules
        QapiError e = catchThrowableOfType(QapiError.class, () -> QapiCompiler.check(file));
        assertThat(e.reason()).startsWith("The 'Note' section is no longer supported.");
        assertThat(e.line()).isEqualTo(17);
    }

    @TestFactory
    Stream<DynamicTest> eachLegacyBadSchemaFailsWith72sMessage() throws IOException {
        try (Stream<Path> files = Files.list(BAD)) {
            return files.filter(p -> p.toString().endsWith(".err")).sorted().toList().stream()
                    .map(err -> DynamicTest.dynamicTest(err.getFileName().toString(), () -> {
                        String name = err.getFileName().toString().replace(".err", ".json");
                        QapiError e = catchThrowableOfType(QapiError.class, () -> LEGACY.compile(BAD.resolve(name)));
                        assertThat(e).as(name).isNotNull();
                        assertThat(e.getMessage().replace(BAD + "/", ""))
                                .isEqualTo(Files.readString(err).stripTrailing());
                    }));
        }
    }
}
