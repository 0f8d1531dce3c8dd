package org.jqmp.qapi.parse;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqmp.qapi.DocRules;
import org.jqmp.qapi.QapiError;
import org.jqmp.qapi.QapiLimits;

/**
 * QAPI's JSON-like schema syntax (qapi-code-gen.rst "Schema syntax"): objects, arrays, single-quoted strings
 * of printable ASCII with {@code \\} as the only escape, {@code true}/{@code false}, {@code #} comments and
 * {@code ##} doc comment blocks; plus the {@code include} and {@code pragma} directives. Errors carry
 * QEMU's messages and columns. Semantic checks come later ({@code org.jqmp.qapi.check}).
 */
public final class SchemaParser {
    static final int EOF = -1;
    private static final Pattern STRAY = Pattern.compile("[^\\[\\]{}:,\\s']+");

    private final String fname;
    private final Shared shared;
    final List<ParsedExpr> exprs = new ArrayList<>();
    final List<DocBuilder> docs = new ArrayList<>();

    private String src;
    private SourceInfo info;
    private int tok;
    private Object val;
    private int pos;
    private int cursor;
    private int lineStart;
    private int depth;

    /** State shared by the parsers of one schema's files. */
    private record Shared(Set<Path> included, Pragma pragma, QapiLimits limits, DocRules rules) {
    }

    private SchemaParser(String fname, Shared shared, SourceInfo includedFrom) {
        this.fname = fname;
        this.shared = shared;
        this.info = new SourceInfo(fname, 1, includedFrom, shared.pragma);
    }

    /** Parses the schema whose main file is {@code file}, following includes. */
    public static ParsedSchema parse(Path file, QapiLimits limits, DocRules rules) {
        Shared shared = new Shared(new HashSet<>(), new Pragma(), limits, rules);
        SchemaParser parser = new SchemaParser(file.toString(), shared, null);
        String text;
        try {
            text = read(file, limits);
        } catch (IOException e) {
            throw new QapiError("can't read schema file '" + file + "': " + strerror(e));
        }
        parser.run(text);
        return new ParsedSchema(file.toString(), parser.exprs, parser.docs, shared.pragma);
    }

    private static String read(Path file, QapiLimits limits) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("Is a directory");
        }
        if (Files.size(file) > limits.maxFileBytes()) {
            throw new IOException("file is larger than QapiLimits.maxFileBytes (" + limits.maxFileBytes()
                    + " bytes)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not valid UTF-8");
        }
    }

    private static String strerror(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "No such file or directory";
            case AccessDeniedException a -> "Permission denied";
            default -> e.getMessage();
        };
    }

    private void run(String text) {
        shared.included.add(absolute(fname));
        src = text.isEmpty() || text.charAt(text.length() - 1) != '\n' ? text + "\n" : text;
        accept(true);
        DocBuilder curDoc = null;
        while (tok != EOF) {
            SourceInfo exprInfo = info;
            if (tok == '#') {
                rejectExprDoc(curDoc);
                for (DocBuilder doc : readDocs(exprInfo)) {
                    docs.add(doc);
                    curDoc = doc;
                }
                continue;
            }
            if (!(expression() instanceof Map<?, ?> raw)) {
                throw exprInfo.error("top-level expression must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> expr = (Map<String, Object>) raw;
            if (expr.containsKey("include")) {
                rejectExprDoc(curDoc);
                include(expr, exprInfo);
            } else if (expr.containsKey("pragma")) {
                rejectExprDoc(curDoc);
                pragma(expr, exprInfo);
            } else {
                if (curDoc != null && curDoc.symbol() == null) {
                    throw curDoc.info().error("definition documentation required");
                }
                exprs.add(new ParsedExpr(expr, exprInfo, curDoc));
            }
            curDoc = null;
        }
        rejectExprDoc(curDoc);
    }

    private List<DocBuilder> readDocs(SourceInfo docInfo) {
        return shared.rules == DocRules.LEGACY
                ? new LegacyDocReader(this).read(docInfo)
                : List.of(new DocReader(this).read());
    }

    private static void rejectExprDoc(DocBuilder doc) {
        if (doc != null && doc.symbol() != null) {
            throw doc.info().error("documentation for '" + doc.symbol()
                    + "' is not followed by the definition");
        }
    }

    private void include(Map<String, Object> expr, SourceInfo at) {
        if (expr.size() != 1) {
            throw at.error("invalid 'include' directive");
        }
        if (!(expr.get("include") instanceof String include)) {
            throw at.error("value of 'include' must be a string");
        }
        // qapi-code-gen.rst: the path is relative to the including file's directory.
        Path inclPath = Path.of(fname).resolveSibling(include);
        String inclName = inclPath.toString();
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("include", inclName);
        exprs.add(new ParsedExpr(directive, at, null));
        Path abs = absolute(inclName);
        int includeDepth = 0;
        for (SourceInfo i = at; i != null; i = i.parent()) {
            if (abs.equals(absolute(i.file()))) {
                throw at.error("inclusion loop for " + include);
            }
            includeDepth++;
        }
        if (shared.included.contains(abs)) {
            return;    // including a file again is a no-op
        }
        checkIncludeLimits(at, includeDepth);
        parseIncluded(inclPath, at);
    }

    private void checkIncludeLimits(SourceInfo at, int includeDepth) {
        if (includeDepth > shared.limits.maxIncludeDepth()) {
            throw at.error("includes nested deeper than QapiLimits.maxIncludeDepth ("
                    + shared.limits.maxIncludeDepth() + ")");
        }
        if (shared.included.size() >= shared.limits.maxFiles()) {
            throw at.error("schema has more files than QapiLimits.maxFiles (" + shared.limits.maxFiles() + ")");
        }
    }

    private void parseIncluded(Path inclPath, SourceInfo at) {
        String text;
        try {
            text = read(inclPath, shared.limits);
        } catch (IOException e) {
            throw at.error("can't read include file '" + inclPath + "': " + strerror(e));
        }
        SchemaParser sub = new SchemaParser(inclPath.toString(), shared, at);
        sub.run(text);
        exprs.addAll(sub.exprs);
        docs.addAll(sub.docs);
    }

    private void pragma(Map<String, Object> expr, SourceInfo at) {
        if (expr.size() != 1) {
            throw at.error("invalid 'pragma' directive");
        }
        if (!(expr.get("pragma") instanceof Map<?, ?> settings)) {
            throw at.error("value of 'pragma' must be an object");
        }
        settings.forEach((name, value) -> shared.pragma.set((String) name, value, at));
    }

    private static Path absolute(String name) {
        return Path.of(name).toAbsolutePath().normalize();
    }

    // ---- lexer (QEMU's QAPISchemaParser.accept) ----

    int tok() {
        return tok;
    }

    String val() {
        return (String) val;
    }

    SourceInfo info() {
        return info;
    }

    /** A syntax error at the current token, with QEMU's column (tabs advance to the next multiple of 8). */
    QapiError error(String message) {
        int col = 1;
        for (int i = lineStart; i < pos; i++) {
            col = src.charAt(i) == '\t' ? (col + 7) % 8 + 1 : col + 1;
        }
        return info.error(message, col);
    }

    /** Reads the next token; with {@code skipComment} false, comment lines come back as '#' tokens. */
    void accept(boolean skipComment) {
        while (true) {
            char c = src.charAt(cursor);
            tok = c;
            pos = cursor;
            cursor++;
            val = null;
            if (c == '#') {
                if (src.charAt(cursor) == '#') {
                    skipComment = false;    // a doc comment starts
                }
                cursor = src.indexOf('\n', cursor);
                if (!skipComment) {
                    val = src.substring(pos, cursor);
                    return;
                }
            } else if ("{}:,[]".indexOf(c) >= 0) {
                return;
            } else if (c == '\'') {
                val = string();
                return;
            } else if (src.startsWith("true", pos)) {
                val = Boolean.TRUE;
                cursor += 3;
                return;
            } else if (src.startsWith("false", pos)) {
                val = Boolean.FALSE;
                cursor += 4;
                return;
            } else if (c == '\n') {
                if (cursor == src.length()) {
                    tok = EOF;
                    return;
                }
                info = info.nextLine();
                lineStart = cursor;
            } else if (!Character.isWhitespace(c)) {
                Matcher m = STRAY.matcher(src).region(cursor - 1, src.length());
                m.lookingAt();
                throw error("stray '" + m.group() + "'");
            }
        }
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        boolean escaped = false;
        while (true) {
            char ch = src.charAt(cursor++);
            if (ch == '\n') {
                throw error("missing terminating \"'\"");
            }
            if (escaped) {
                // qapi-code-gen.rst: only \\ is recognized; there is no use for other escapes.
                if (ch != '\\') {
                    throw error("unknown escape \\" + ch);
                }
                escaped = false;
            } else if (ch == '\\') {
                escaped = true;
                continue;
            } else if (ch == '\'') {
                return sb.toString();
            }
            if (ch < 32 || ch >= 127) {
                throw error("funny character in string");
            }
            sb.append(ch);
        }
    }

    // ---- expressions (QEMU's get_expr, get_members, get_values) ----

    private Object expression() {
        if (tok == '{' || tok == '[') {
            if (++depth > shared.limits.maxNesting()) {
                throw error("nesting deeper than QapiLimits.maxNesting (" + shared.limits.maxNesting() + ")");
            }
            boolean object = tok == '{';
            accept(true);
            Object value = object ? members() : values();
            depth--;
            return value;
        }
        if (tok == '\'' || tok == 't' || tok == 'f') {
            Object value = val;
            accept(true);
            return value;
        }
        throw error("expected '{', '[', string, or boolean");
    }

    private Map<String, Object> members() {
        Map<String, Object> expr = new LinkedHashMap<>();
        if (tok == '}') {
            accept(true);
            return expr;
        }
        if (tok != '\'') {
            throw error("expected string or '}'");
        }
        while (true) {
            String key = (String) val;
            accept(true);
            if (tok != ':') {
                throw error("expected ':'");
            }
            accept(true);
            if (expr.containsKey(key)) {
                throw error("duplicate key '" + key + "'");
            }
            expr.put(key, expression());
            if (tok == '}') {
                accept(true);
                return expr;
            }
            if (tok != ',') {
                throw error("expected ',' or '}'");
            }
            accept(true);
            if (tok != '\'') {
                throw error("expected string");
            }
        }
    }

    private List<Object> values() {
        List<Object> expr = new ArrayList<>();
        if (tok == ']') {
            accept(true);
            return expr;
        }
        if ("{['tf".indexOf(tok) < 0 || tok == EOF) {
            throw error("expected '{', '[', ']', string, or boolean");
        }
        while (true) {
            expr.add(expression());
            if (tok == ']') {
                accept(true);
                return expr;
            }
            if (tok != ',') {
                throw error("expected ',' or ']'");
            }
            accept(true);
        }
    }
}
