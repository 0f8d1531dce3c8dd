package org.jqmp.qapi.gen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jqmp.qapi.model.Command;
import org.jqmp.qapi.model.Definition;
import org.jqmp.qapi.model.DocComment;
import org.jqmp.qapi.model.DocSection;
import org.jqmp.qapi.model.Event;
import org.jqmp.qapi.model.Member;
import org.jqmp.qapi.model.Module;
import org.jqmp.qapi.model.ObjectType;
import org.jqmp.qapi.model.Schema;
import org.jqmp.qapi.model.TypeRef;

/**
 * Reference documentation in Markdown from the doc comments: one file per schema module ({@code <module>.md})
 * with its free-form text and definitions in source order, and an {@code index.md} listing the modules. A
 * definition shows its kind, its text, its members or arguments (type, optional, text), features, and the
 * tagged sections (Returns, Errors, Since, notes, examples as code).
 */
public final class DocGenerator {

    public List<GeneratedFile> generate(Schema schema) {
        List<GeneratedFile> files = new ArrayList<>();
        StringBuilder index = new StringBuilder("# Schema reference\n\n");
        for (Module m : schema.modules()) {
            if (m.isBuiltin()) {
                continue;
            }
            String page = page(schema, m);
            if (page.isBlank()) {
                continue;
            }
            String file = stem(m.name()) + ".md";
            files.add(new GeneratedFile(file, "# " + m.name() + "\n\n" + page));
            index.append("- [").append(m.name()).append("](").append(file).append(")\n");
        }
        files.add(new GeneratedFile("index.md", index.toString()));
        return files;
    }

    private static String stem(String module) {
        String base = Path.of(module).getFileName().toString();
        return base.endsWith(".json") ? base.substring(0, base.length() - 5) : base;
    }

    private static String page(Schema schema, Module m) {
        StringBuilder sb = new StringBuilder();
        String base = Path.of(m.name()).getFileName().toString();
        for (DocComment doc : schema.docs()) {
            if (!Path.of(doc.location().file()).getFileName().toString().equals(base)) {
                continue;
            }
            Optional<Definition> d = doc.symbol().flatMap(schema::lookup);
            if (doc.symbol().isEmpty()) {
                sb.append(freeForm(doc.body().text())).append("\n\n");
            } else if (d.isPresent()) {
                sb.append(definition(d.get(), doc)).append('\n');
            }
        }
        return sb.toString();
    }

    /** QEMU's free-form headings ({@code = Title}, {@code == Section}) become Markdown headings. */
    private static String freeForm(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.strip().split("\n", -1)) {
            int level = 0;
            while (level < line.length() && line.charAt(level) == '=') {
                level++;
            }
            sb.append(level > 0 && line.startsWith(" ", level) ? "#".repeat(level + 1) + line.substring(level) : line)
                    .append('\n');
        }
        return sb.toString().strip();
    }

    private static String definition(Definition d, DocComment doc) {
        StringBuilder sb = new StringBuilder("## `").append(d.name()).append("` (").append(d.meta()).append(")\n\n");
        String body = doc.body().text().strip();
        if (!body.isEmpty()) {
            sb.append(body).append("\n\n");
        }
        List<Member> members = members(d);
        if (!members.isEmpty()) {
            sb.append(d instanceof Command || d instanceof Event ? "Arguments:\n\n" : "Members:\n\n");
            for (Member member : members) {
                sb.append("- `").append(member.name()).append("`: ").append(typeName(member.type()))
                        .append(member.optional() ? " (optional)" : "");
                doc.member(member.name()).map(s -> oneParagraph(s.text()))
                        .filter(s -> !s.isEmpty()).ifPresent(s -> sb.append(" - ").append(s));
                sb.append('\n');
            }
            sb.append('\n');
        }
        for (DocSection s : doc.sections()) {
            if (s.kind() != DocSection.Kind.MEMBER) {
                blankLine(sb);
            }
            switch (s.kind()) {
                case MEMBER -> {
                    if (members.isEmpty() && !oneParagraph(s.text()).isEmpty()) {
                        sb.append("- `").append(s.name().orElse("")).append("`: ").append(oneParagraph(s.text()))
                                .append('\n');
                    }
                }
                case FEATURE -> sb.append("Feature `").append(s.name().orElse("")).append("`: ")
                        .append(oneParagraph(s.text())).append("\n\n");
                case EXAMPLE -> sb.append("Example:\n\n```\n").append(s.text().strip()).append("\n```\n\n");
                case PLAIN -> {
                    if (s != doc.body() && !s.text().isBlank()) {
                        sb.append(s.text().strip()).append("\n\n");
                    }
                }
                default -> sb.append(s.kind().tag()).append(": ").append(s.text().strip()).append("\n\n");
            }
        }
        return sb.toString().strip() + "\n";
    }

    private static void blankLine(StringBuilder sb) {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '\n' && !sb.toString().endsWith("\n\n")) {
            sb.append('\n');
        }
    }

    private static List<Member> members(Definition d) {
        Optional<TypeRef> arg = switch (d) {
            case Command c -> c.argType();
            case Event e -> e.argType();
            default -> Optional.empty();
        };
        if (d instanceof ObjectType o) {
            return o.members();
        }
        return arg.filter(t -> t.type() instanceof ObjectType).map(t -> ((ObjectType) t.type()).members())
                .orElse(List.of());
    }

    private static String typeName(TypeRef t) {
        String n = t.name();
        return n.endsWith("List") && t.type() instanceof org.jqmp.qapi.model.ArrayType a
                ? "[" + a.elementType().name() + "]" : n;
    }

    private static String oneParagraph(String text) {
        return text.strip().replaceAll("\\s*\n\\s*", " ");
    }
}
