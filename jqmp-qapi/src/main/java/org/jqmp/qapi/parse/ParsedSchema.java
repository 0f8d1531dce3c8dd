package org.jqmp.qapi.parse;

import java.util.List;

/** The parser's output for a whole schema: expressions and doc comments of every included file, in order. */
public record ParsedSchema(String file, List<ParsedExpr> exprs, List<DocBuilder> docs, Pragma pragma) {
    public ParsedSchema {
        exprs = List.copyOf(exprs);
        docs = List.copyOf(docs);
    }
}
