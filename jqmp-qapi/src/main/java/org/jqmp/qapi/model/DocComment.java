package org.jqmp.qapi.model;

import java.util.List;
import java.util.Optional;

/**
 * A {@code ##} doc comment block: definition documentation (with a {@code symbol}) or free-form text. The
 * first section is always the untagged body (possibly empty); member, feature and tagged sections follow in
 * source order.
 */
public record DocComment(SourceLocation location, Optional<String> symbol, List<DocSection> sections) {
    public DocComment {
        sections = List.copyOf(sections);
    }

    public DocSection body() {
        return sections.getFirst();
    }

    public Optional<DocSection> member(String name) {
        return named(DocSection.Kind.MEMBER, name);
    }

    public Optional<DocSection> feature(String name) {
        return named(DocSection.Kind.FEATURE, name);
    }

    public Optional<DocSection> section(DocSection.Kind kind) {
        return sections.stream().filter(s -> s.kind() == kind).findFirst();
    }

    /** The "Since:" text, e.g. "7.2". */
    public Optional<String> since() {
        return section(DocSection.Kind.SINCE).map(DocSection::text);
    }

    private Optional<DocSection> named(DocSection.Kind kind, String name) {
        return sections.stream()
                .filter(s -> s.kind() == kind && s.name().orElse("").equals(name))
                .findFirst();
    }
}
