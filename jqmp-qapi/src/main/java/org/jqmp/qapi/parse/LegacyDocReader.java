package org.jqmp.qapi.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqmp.qapi.model.DocSection.Kind;

/**
 * Reads a {@code ##} block under the doc rules of QEMU 8.0 and earlier (7.2's parser): a line-by-line state
 * machine in which {@code Note:} and {@code Example:} are tagged sections, the indentation of a section is set
 * by its second line, and a {@code # =} heading splits a free-form block in two. A line's first word (up to
 * the first space) decides what it is: {@code @name:} a description, {@code Since:} etc. a section tag.
 */
final class LegacyDocReader {
    private static final java.util.Set<String> TAGS = java.util.Set.of("Returns:", "Since:", "Note:", "Notes:",
            "Example:", "Examples:", "TODO:");
    private static final Pattern FREEFORM_AT = Pattern.compile("(@\\S+:)");
    private static final Map<String, Kind> KINDS = Map.of("Returns", Kind.RETURNS, "Since", Kind.SINCE,
            "Note", Kind.NOTE, "Notes", Kind.NOTE, "Example", Kind.EXAMPLE, "Examples", Kind.EXAMPLE,
            "TODO", Kind.TODO);

    private enum Mode { BODY, ARGS, FEATURES, VARIOUS }

    private final SchemaParser parser;
    private DocBuilder doc;
    private DocBuilder.Section current;
    private Mode mode;
    private String symbol;

    LegacyDocReader(SchemaParser parser) {
        this.parser = parser;
    }

    List<DocBuilder> read(SourceInfo info) {
        if (!"##".equals(parser.val())) {
            throw parser.error("junk after '##' at start of documentation comment");
        }
        List<DocBuilder> docs = new ArrayList<>();
        parser.accept(false);
        while (parser.tok() == '#') {
            String val = parser.val();
            if (val.startsWith("##")) {
                if (!val.equals("##")) {
                    throw parser.error("junk after '##' at end of documentation comment");
                }
                docs.add(finish(info));
                parser.accept(true);
                return docs;
            }
            if (val.startsWith("# =")) {
                if (symbol != null) {
                    throw parser.error("unexpected '=' markup in definition documentation");
                }
                if (doc != null && !doc.body().text.isEmpty()) {
                    docs.add(finish(info));
                }
            }
            append(info, val);
            parser.accept(false);
        }
        throw parser.error("documentation comment must end with '##'");
    }

    private DocBuilder finish(SourceInfo info) {
        pendingInfo = doc == null ? info : pendingInfo;
        doc();
        switchSection(null);
        DocBuilder done = doc;
        doc = null;
        symbol = null;
        mode = null;
        return done;
    }

    private void append(SourceInfo info, String raw) {
        String line = raw.substring(1);
        if (doc == null) {
            pendingInfo = info;
        }
        if (line.isEmpty()) {
            freeform(line);
            return;
        }
        if (line.charAt(0) != ' ') {
            throw parser.error("missing space after #");
        }
        line = line.substring(1);
        switch (mode == null ? Mode.BODY : mode) {
            case BODY -> bodyLine(line);
            case ARGS -> argsLine(line);
            case FEATURES -> featuresLine(line);
            case VARIOUS -> variousLine(line);
        }
    }

    private SourceInfo pendingInfo;

    /** The block's builder is made lazily because its first line decides whether it documents a symbol. */
    private DocBuilder doc() {
        if (doc == null) {
            doc = new DocBuilder(pendingInfo, symbol, true);
            current = doc.body();
            mode = Mode.BODY;
        }
        return doc;
    }

    private void bodyLine(String line) {
        if (symbol == null && (doc == null || doc.body().text.isEmpty()) && line.startsWith("@")) {
            if (!line.endsWith(":")) {
                throw parser.error("line should end with ':'");
            }
            String name = line.substring(1, line.length() - 1);
            if (name.isEmpty()) {
                throw parser.error("name required after '@'");
            }
            symbol = name;
            doc = null;
            doc();
        } else if (symbol != null) {
            if (isDescription(firstWord(line))) {
                mode = Mode.ARGS;
                argsLine(line);
            } else if (line.equals("Features:")) {
                mode = Mode.FEATURES;
            } else if (TAGS.contains(firstWord(line))) {
                mode = Mode.VARIOUS;
                variousLine(line);
            } else {
                freeform(line);
            }
        } else {
            freeform(line);
        }
    }

    private void argsLine(String line) {
        String name = firstWord(line);
        if (isDescription(name)) {
            line = rest(line, name);
            startSymbolSection(Kind.MEMBER, name.substring(1, name.length() - 1));
        } else if (TAGS.contains(name)) {
            mode = Mode.VARIOUS;
            variousLine(line);
            return;
        } else if (paragraphBreak(line)) {
            if (line.equals("Features:")) {
                mode = Mode.FEATURES;
            } else {
                startSection(null);
                mode = Mode.VARIOUS;
                variousLine(line);
            }
            return;
        }
        freeform(line);
    }

    private void featuresLine(String line) {
        String name = firstWord(line);
        if (isDescription(name)) {
            line = rest(line, name);
            startSymbolSection(Kind.FEATURE, name.substring(1, name.length() - 1));
        } else if (TAGS.contains(name)) {
            mode = Mode.VARIOUS;
            variousLine(line);
            return;
        } else if (paragraphBreak(line)) {
            startSection(null);
            mode = Mode.VARIOUS;
            variousLine(line);
            return;
        }
        freeform(line);
    }

    private boolean paragraphBreak(String line) {
        return current.text.toString().endsWith("\n\n") && !line.isEmpty()
                && !Character.isWhitespace(line.charAt(0));
    }

    private void variousLine(String line) {
        String name = firstWord(line);
        if (isDescription(name)) {
            throw parser.error("'" + name + "' can't follow '" + firstSectionName() + "' section");
        }
        if (TAGS.contains(name)) {
            line = rest(line, name);
            startSection(name.substring(0, name.length() - 1));
        }
        freeform(line);
    }

    private String firstSectionName() {
        return doc().firstLegacySectionName();
    }

    /** Python's line.split(' ', 1)[0]. */
    private static String firstWord(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    private static String rest(String line, String firstWord) {
        return line.length() > firstWord.length() ? line.substring(firstWord.length() + 1) : "";
    }

    private static boolean isDescription(String word) {
        return word.startsWith("@") && word.endsWith(":") && word.length() >= 2;
    }

    private void startSymbolSection(Kind kind, String name) {
        if (name.isEmpty()) {
            throw parser.error("invalid parameter name");
        }
        if (kind == Kind.MEMBER ? doc().hasArg(name) : doc().hasFeature(name)) {
            throw parser.error("'" + name + "' parameter name duplicated");
        }
        switchSection(doc().addLegacy(kind, name));
    }

    private void startSection(String tag) {
        Kind kind = tag == null ? Kind.PLAIN : KINDS.get(tag);
        if ((kind == Kind.RETURNS || kind == Kind.SINCE) && doc().hasLegacySection(kind)) {
            throw parser.error("duplicated '" + tag + "' section");
        }
        switchSection(doc().addLegacy(kind, tag));
    }

    /** Leaves the current section: trims it, and only the body may be empty. */
    private void switchSection(DocBuilder.Section next) {
        DocBuilder d = doc();
        String text = DocBuilder.stripNewlines(current.text);
        current.text.setLength(0);
        current.text.append(text);
        if (current != d.body() && text.isEmpty()) {
            throw parser.error("empty doc section '" + current.name + "'");
        }
        current = next;
    }

    private void freeform(String line) {
        Matcher m = FREEFORM_AT.matcher(line);
        if (m.lookingAt()) {
            throw parser.error("'" + m.group(1) + "' not allowed in free-form documentation");
        }
        doc();
        appendIndented(current, line);
    }

    /** 7.2's Section.append: the second non-blank line of a named section fixes the indentation to strip. */
    private void appendIndented(DocBuilder.Section section, String line) {
        line = line.stripTrailing();
        if (!line.isEmpty()) {
            int indent = line.length() - line.stripLeading().length();
            if (section.legacyIndent == null) {
                if (!section.text.isEmpty()) {
                    section.legacyIndent = indent;
                    line = line.substring(indent);
                }
            } else if (indent < section.legacyIndent) {
                throw parser.error("unexpected de-indent (expected at least " + section.legacyIndent
                        + " spaces)");
            } else {
                line = line.substring(section.legacyIndent);
            }
        }
        section.text.append(line).append('\n');
    }
}
