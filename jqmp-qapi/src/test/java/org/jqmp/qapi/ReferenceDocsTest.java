package org.jqmp.qapi;

import java.io.IOException;
import java.nio.file.Path;
import org.jqmp.qapi.gen.DocGenerator;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/reference/} is the Markdown generated from jqmp's schema ({@code schema/}); after a schema change,
 * rewrite it with {@code mvn -pl jqmp-qapi test -Dtest=ReferenceDocsTest -Dgolden.update=true}.
 */
class ReferenceDocsTest {
    @Test
    void referenceDocsAreUpToDate() throws IOException {
        GoldenOutputTest.compare(Path.of("../docs/reference"),
                new DocGenerator().generate(QapiCompiler.check(Path.of("../schema/qapi-schema.json"))));
    }
}
