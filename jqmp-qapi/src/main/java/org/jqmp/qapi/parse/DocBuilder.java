package org.jqmp.qapi.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jqmp.qapi.model.DocComment;
import org.jqmp.qapi.model.DocSection;
import org.jqmp.qapi.model.DocSection.Kind;

/**
 * A doc comment while it is read and then connected to the definition it documents (QEMU's QAPIDoc). The
 * readers ({@link DocReader}, {@link LegacyDocReader}) fill it; the checker connects members and features
 * and finally asks {@link #check()} for descriptions of things that do not exist.
 */
public final class DocBuilder {
    private final SourceInfo info;
    private final String symbol;
    private final boolean legacy;
    private final List<Section> all = new ArrayList<>();
    private final Map<String, Section> args = new LinkedHashMap<>();
    private final Map<String, Section> features = new LinkedHashMap<>();
    private Section returns;
    private Section errors;
    private Section since;

    /** One section; {@code name} is the member/feature name, or for legacy tagged sections the tag. */
    static final class Section {
        SourceInfo info;
        final Kind kind;
        final String name;
        final StringBuilder text = new StringBuilder();
        Integer legacyIndent;
        boolean connected;

        Section(SourceInfo info, Kind kind, String name) {
            this.info = info;
            this.kind = kind;
            this.name = name;
        }
    }

    DocBuilder(SourceInfo info, String symbol, boolean legacy) {
        this.info = info;
        this.symbol = symbol;
        this.legacy = legacy;
        Section body = new Section(info, Kind.PLAIN, null);
        body.legacyIndent = 0;
        all.add(body);
    }

    public SourceInfo info() {
        return info;
    }

    /** The documented definition's name; null for free-form documentation. */
    public String symbol() {
        return symbol;
    }

    Section body() {
        return all.getFirst();
    }

    Section last() {
        return all.getLast();
    }

    boolean hasFeatures() {
        return !features.isEmpty();
    }

    void appendLine(String line) {
        last().text.append(line).append('\n');
    }

    /** Continues the current untagged section with a paragraph break, or starts one (QEMU 9.2+). */
    void ensureUntaggedSection(SourceInfo at) {
        Section cur = last();
        if (cur.kind == Kind.PLAIN) {
            if (cur.text.isEmpty()) {
                cur.info = at;
            }
            cur.text.append('\n');
            return;
        }
        all.add(new Section(at, Kind.PLAIN, null));
    }

    void newTaggedSection(SourceInfo at, Kind kind, String tag) {
        Section section = new Section(at, kind, tag);
        switch (kind) {
            case RETURNS -> returns = unique(returns, section, kind);
            case ERRORS -> errors = unique(errors, section, kind);
            case SINCE -> since = unique(since, section, kind);
            default -> { }
        }
        all.add(section);
    }

    private static Section unique(Section existing, Section section, Kind kind) {
        if (existing != null) {
            throw section.info.error("duplicated '" + title(kind) + "' section");
        }
        return section;
    }

    /** QEMU prints section kinds with Python's str.title(): "Returns", "Todo", "Member". */
    static String title(Kind kind) {
        String lower = kind.name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    void newArgument(SourceInfo at, String name) {
        newDescription(at, name, Kind.MEMBER, args);
    }

    void newFeature(SourceInfo at, String name) {
        newDescription(at, name, Kind.FEATURE, features);
    }

    private void newDescription(SourceInfo at, String name, Kind kind, Map<String, Section> into) {
        if (name.isEmpty()) {
            throw at.error("invalid parameter name");
        }
        if (into.containsKey(name)) {
            throw at.error("'" + name + "' parameter name duplicated");
        }
        Section section = new Section(at, kind, name);
        all.add(section);
        into.put(name, section);
    }

    /** Legacy (QEMU 7.2) section start, without the error checks the legacy reader makes itself. */
    Section addLegacy(Kind kind, String name) {
        Section section = new Section(info, kind, name);
        if (kind == Kind.PLAIN) {
            section.legacyIndent = 0;    // 7.2: only named sections have an indeterminate indentation
        }
        all.add(section);
        switch (kind) {
            case MEMBER -> args.put(name, section);
            case FEATURE -> features.put(name, section);
            case RETURNS -> returns = section;
            case SINCE -> since = section;
            default -> { }
        }
        return section;
    }

    /** The tag of the first section after the descriptions (the 7.2 message names it). */
    String firstLegacySectionName() {
        return all.stream().skip(1).filter(s -> s.kind != Kind.MEMBER && s.kind != Kind.FEATURE)
                .map(s -> s.name).findFirst().orElse("None");
    }

    boolean hasArg(String name) {
        return args.containsKey(name);
    }

    boolean hasFeature(String name) {
        return features.containsKey(name);
    }

    boolean hasLegacySection(Kind kind) {
        return all.stream().skip(1).anyMatch(s -> s.kind == kind);
    }

    /** The text without its leading and trailing newlines (Python's {@code text.strip('\n')}). */
    static String stripNewlines(CharSequence text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '\n') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '\n') {
            end--;
        }
        return text.subSequence(start, end).toString();
    }

    /** End of the comment block (QEMU 9.2+): trims text, every tagged section needs some. */
    void end() {
        for (Section section : all) {
            String text = stripNewlines(section.text);
            section.text.setLength(0);
            section.text.append(text);
            if (section.kind != Kind.PLAIN && text.isEmpty()) {
                throw section.info.error("text required after '" + title(section.kind) + ":'");
            }
        }
    }

    // ---- connecting to the checked definition ----

    /**
     * Connects a member, enum value or branch. Under the current rules an undocumented one is an error
     * unless the definition is in pragma 'documentation-exceptions'; then, as under the 7.2 rules, it gets
     * an empty stub description.
     */
    public void connectMember(String name, String role, SourceInfo memberInfo) {
        if (!args.containsKey(name)) {
            if (!legacy && !memberInfo.pragma().documentationExceptions().contains(symbol)) {
                throw memberInfo.error(role + " '" + name + "' lacks documentation");
            }
            Section stub = new Section(info, Kind.MEMBER, name);
            args.put(name, stub);
            int index = 1;
            while (index < all.size() && all.get(index).kind == Kind.MEMBER) {
                index++;
            }
            all.add(Math.min(index, all.size()), stub);
        }
        args.get(name).connected = true;
    }

    public void connectFeature(String name, SourceInfo featureInfo) {
        if (!features.containsKey(name)) {
            throw featureInfo.error("feature '" + name + "' lacks documentation");
        }
        features.get(name).connected = true;
    }

    /** Checks the tagged sections against the kind of definition (QEMU's QAPIDoc.check_expr). */
    public void checkExpr(boolean isCommand, boolean hasReturns) {
        if (legacy) {
            if (returns != null && !isCommand) {
                throw info.error("'Returns:' is only valid for commands");
            }
            return;
        }
        if (isCommand) {
            if (returns != null && !hasReturns) {
                throw returns.info.error("'Returns' section, but command doesn't return anything");
            }
        } else {
            if (returns != null) {
                throw returns.info.error("'Returns' section is only valid for commands");
            }
            if (errors != null) {
                throw errors.info.error("'Errors' section is only valid for commands");
            }
        }
    }

    /** Descriptions of members or features that do not exist are errors. */
    public void check() {
        checkDescribed(args, "member");
        checkDescribed(features, "feature");
    }

    private void checkDescribed(Map<String, Section> described, String what) {
        List<String> bogus = described.entrySet().stream().filter(e -> !e.getValue().connected)
                .map(Map.Entry::getKey).toList();
        if (bogus.isEmpty()) {
            return;
        }
        boolean many = bogus.size() > 1;
        String msg = "documented " + what + (many ? "s" : "") + " '" + String.join("', '", bogus) + "' "
                + (many ? "do" : "does") + " not exist";
        throw (legacy ? info : described.get(bogus.getFirst()).info).error(msg);
    }

    public DocComment toModel() {
        List<DocSection> sections = all.stream()
                .map(s -> new DocSection(s.kind, Optional.ofNullable(
                        s.kind == Kind.MEMBER || s.kind == Kind.FEATURE ? s.name : null),
                        s.text.toString(), s.info.location()))
                .toList();
        return new DocComment(info.location(), Optional.ofNullable(symbol), sections);
    }
}
