package org.jqmp.qapi.gen;

import java.util.List;
import org.jqmp.qapi.model.Schema;

/** Reference documentation in Markdown, one file per schema module. */
public final class DocGenerator {
    public List<GeneratedFile> generate(Schema schema) {
        return List.of();
    }
}
