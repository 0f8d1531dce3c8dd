package org.jqmp.qapi;

import java.io.PrintStream;
import java.nio.file.Path;
import org.jqmp.qapi.check.SchemaChecker;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.parse.SchemaParser;

/**
 * The front end of the QAPI schema compiler: parses a schema file with its includes, checks it as QEMU's
 * {@code scripts/qapi} does, and returns the checked model. Errors are {@link QapiError}s whose message is
 * QEMU's text; like QEMU, checking stops at the first error.
 *
 * <pre>{@code
 * Schema schema = QapiCompiler.check(Path.of("qapi/qapi-schema.json"));
 * Schema old = new QapiCompiler(DocRules.LEGACY, QapiLimits.DEFAULT).compile(Path.of("qemu-7.2/qapi-schema.json"));
 * }</pre>
 */
public final class QapiCompiler {
    private final DocRules docRules;
    private final QapiLimits limits;

    public QapiCompiler(DocRules docRules, QapiLimits limits) {
        this.docRules = docRules;
        this.limits = limits;
    }

    /** A compiler with the current (QEMU 9.2+) doc rules and the default limits. */
    public QapiCompiler() {
        this(DocRules.CURRENT, QapiLimits.DEFAULT);
    }

    /** Parses and checks {@code mainFile} with the default settings. */
    public static Schema check(Path mainFile) {
        return new QapiCompiler().compile(mainFile);
    }

    /**
     * Parses and checks {@code mainFile}. File names in messages are {@code mainFile} as given, and included
     * files joined to the directory of their includer, as QEMU prints them.
     *
     * @throws QapiError for the first problem found
     */
    public Schema compile(Path mainFile) {
        return SchemaChecker.check(SchemaParser.parse(mainFile, limits, docRules), limits);
    }

    /**
     * What {@code jqmp qapi check FILE} does: 0 when the schema checks (nothing printed, like QEMU's
     * generator), 1 with QEMU's error text on {@code err} when it does not.
     */
    public int checkCommand(Path mainFile, PrintStream err) {
        try {
            compile(mainFile);
            return 0;
        } catch (QapiError e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
