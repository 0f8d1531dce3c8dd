package org.jqmp.qapi.gen;

import com.palantir.javapoet.CodeBlock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.DocComment;
import org.jqmp.qapi.model.DocSection;

/** Doc comments of the schema as Javadoc text: the body, {@code @member} references as code, no comment ends. */
final class Javadoc {
    private static final Pattern MEMBER_REFERENCE = Pattern.compile("&#64;([A-Za-z0-9_-]+)");

    private Javadoc() {
    }

    static CodeBlock of(Definition d) {
        String body = d.doc().map(doc -> text(doc.body().text())).filter(s -> !s.isBlank())
                .orElse(d.meta() + " {@code " + d.name() + "}");
        String since = d.doc().flatMap(DocComment::since).map(s -> "\n<p>Since: " + text(s)).orElse("");
        return CodeBlock.of("$L$L\n", body.strip(), since);
    }

    static Optional<String> member(Definition d, String member) {
        return d.doc().flatMap(doc -> doc.member(member)).map(DocSection::text).map(Javadoc::text)
                .map(String::strip).filter(s -> !s.isEmpty());
    }

    static String text(String raw) {
        String s = raw.replace("\\u", "&#92;u").replace("*/", "*&#47;").replace("@", "&#64;");
        if (s.contains("&#64;")) {    // most doc text has no @: no regex for it
            s = MEMBER_REFERENCE.matcher(s).replaceAll("{&#64;code $1}").replace("{&#64;code", "{@code");
        }
        return s.replace("<", "&lt;").replace(">", "&gt;");
    }
}
