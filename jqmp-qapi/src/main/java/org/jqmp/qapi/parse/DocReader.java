package org.jqmp.qapi.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqmp.qapi.model.DocSection.Kind;

/**
 * Reads one {@code ##} doc comment block under QEMU 9.2+ rules (qapi-code-gen.rst "Documentation comments"):
 * a first line {@code @SYMBOL:} makes it definition documentation with member descriptions
 * ({@code @name: text}, continuation lines indented), a {@code Features:} block, and tagged sections
 * ({@code Returns:}, {@code Errors:}, {@code Since:}, {@code TODO:}) separated by blank lines; anything else
 * is free-form text.
 */
final class DocReader {
    private static final Pattern AT_NAME_COLON = Pattern.compile("@([^:]*): *");
    private static final Pattern TAG = Pattern.compile("(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): *");
    private static final Pattern LEADING_SPACE = Pattern.compile("\\s*");

    private final SchemaParser parser;

    DocReader(SchemaParser parser) {
        this.parser = parser;
    }

    /** Reads from the opening {@code ##} (the current token) to the line after the closing one. */
    DocBuilder read() {
        if (!"##".equals(parser.val())) {
            throw parser.error("junk after '##' at start of documentation comment");
        }
        SourceInfo info = parser.info();
        parser.accept(false);
        String line = docLine();
        DocBuilder doc;
        if (line != null && line.startsWith("@")) {
            if (!line.endsWith(":")) {
                throw parser.error("line should end with ':'");
            }
            String symbol = line.substring(1, line.length() - 1);
            if (symbol.isEmpty()) {
                throw parser.error("name required after '@'");
            }
            doc = new DocBuilder(info, symbol, false);
            parser.accept(false);
            definition(doc, docLine());
        } else {
            doc = new DocBuilder(info, null, false);
            freeForm(doc, line);
        }
        parser.accept(true);
        doc.end();
        return doc;
    }

    /** The text of the current comment line, "" for a bare '#', null at the closing '##'. */
    private String docLine() {
        if (parser.tok() != '#') {
            throw parser.error("documentation comment must end with '##'");
        }
        String val = parser.val();
        if (val.startsWith("##")) {
            if (!val.equals("##")) {
                throw parser.error("junk after '##' at end of documentation comment");
            }
            return null;
        }
        if (val.equals("#")) {
            return "";
        }
        if (val.charAt(1) != ' ') {
            throw parser.error("missing space after #");
        }
        return val.substring(2).stripTrailing();
    }

    private String nextLine() {
        parser.accept(false);
        return docLine();
    }

    private static Matcher atNameColon(String line) {
        Matcher m = AT_NAME_COLON.matcher(line);
        return m.lookingAt() ? m : null;
    }

    private static int indentOf(String line) {
        Matcher m = LEADING_SPACE.matcher(line);
        m.lookingAt();
        return m.end();
    }

    private void definition(DocBuilder doc, String line) {
        boolean noMoreArgs = false;
        while (line != null) {
            while (line != null && line.isEmpty()) {
                line = nextLine();
            }
            if (line == null) {
                break;
            }
            Matcher m;
            if (line.equals("Features:")) {
                if (doc.hasFeatures()) {
                    throw parser.error("duplicated 'Features:' line");
                }
                line = nextLine();
                while (line != null && line.isEmpty()) {
                    line = nextLine();
                }
                line = descriptions(doc, line, true);
                if (!doc.hasFeatures()) {
                    throw parser.error("feature descriptions expected");
                }
                noMoreArgs = true;
            } else if ((m = atNameColon(line)) != null) {
                if (noMoreArgs) {
                    throw parser.error("description of '@" + m.group(1) + ":' follows a section");
                }
                line = descriptions(doc, line, false);
                noMoreArgs = true;
            } else if ((m = TAG.matcher(line)).lookingAt()) {
                line = taggedSection(doc, line, m);
                noMoreArgs = true;
            } else if (line.startsWith("=")) {
                throw parser.error("unexpected '=' markup in definition documentation");
            } else {
                doc.ensureUntaggedSection(parser.info());
                doc.appendLine(line);
                line = paragraph(doc);
            }
        }
    }

    /** A run of {@code @name: text} descriptions of members or features. */
    private String descriptions(DocBuilder doc, String line, boolean features) {
        Matcher m;
        while (line != null && (m = atNameColon(line)) != null) {
            if (features) {
                doc.newFeature(parser.info(), m.group(1));
            } else {
                doc.newArgument(parser.info(), m.group(1));
            }
            String text = line.substring(m.end());
            if (!text.isEmpty()) {
                doc.appendLine(text);
            }
            line = indented(doc);
        }
        return line;
    }

    private String taggedSection(DocBuilder doc, String line, Matcher m) {
        String tag = m.group(1);
        // QEMU 9.2 replaced these sections by rST directives and rejects the old form with this advice.
        if (tag.contains("Note")) {
            throw parser.error("The '" + tag + "' section is no longer supported. Please use rST's "
                    + "'.. note::' or '.. admonition:: notes' directives, or another suitable admonition "
                    + "instead.");
        }
        if (tag.contains("Example")) {
            throw parser.error("The '" + tag + "' section is no longer supported. Please use the "
                    + "'.. qmp-example::' directive, or other suitable markup instead.");
        }
        Kind kind = Kind.valueOf(tag.toUpperCase(java.util.Locale.ROOT));
        doc.newTaggedSection(parser.info(), kind, tag);
        String text = line.substring(m.end());
        if (!text.isEmpty()) {
            doc.appendLine(text);
        }
        return indented(doc);
    }

    /** Continuation lines of a description or tagged section: indented, blank lines allowed. */
    private String indented(DocBuilder doc) {
        String line = nextLine();
        while (line != null && line.isEmpty()) {
            doc.appendLine(line);
            line = nextLine();
        }
        if (line == null) {
            return null;
        }
        int indent = indentOf(line);
        if (indent == 0) {
            return line;
        }
        doc.appendLine(line);
        boolean prevLineBlank = false;
        while (true) {
            line = nextLine();
            if (line == null || atNameColon(line) != null) {
                return line;
            }
            if (!line.isEmpty() && indentOf(line) < indent) {
                if (prevLineBlank) {
                    return line;
                }
                throw parser.error("unexpected de-indent (expected at least " + indent + " spaces)");
            }
            doc.appendLine(line);
            // QEMU sets this after any continuation line, so a de-indent is only an error on the second line.
            prevLineBlank = true;
        }
    }

    private String paragraph(DocBuilder doc) {
        while (true) {
            String line = nextLine();
            if (line == null || line.isEmpty()) {
                return line;
            }
            doc.appendLine(line);
        }
    }

    private void freeForm(DocBuilder doc, String line) {
        doc.ensureUntaggedSection(parser.info());
        while (line != null) {
            Matcher m = atNameColon(line);
            if (m != null) {
                throw parser.error("'@" + m.group(1) + ":' not allowed in free-form documentation");
            }
            // QEMU 10 writes headings in rST (text underlined with '='), so '=' lines may come anywhere.
            doc.appendLine(line);
            line = nextLine();
        }
    }
}
