package org.jqmp.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One option's {@code key=value,...} text parsed the way QEMU 7.2's QemuOpts does ({@code util/qemu-option.c}):
 * an implied first key, {@code ,,} for a comma inside a value, bare {@code name} / {@code noname} for
 * on / off (deprecated, with a warning), {@code id} taken apart from the other parameters, and every parameter
 * checked against its {@link QemuOptsList}. Later parameters of the same name win ({@code qemu_opt_get}).
 *
 * @param location the option as QEMU names it in messages, e.g. {@code -chardev socket,id=x}
 */
record QemuOpts(String location, Optional<String> id, List<Parameter> parameters) {

    record Parameter(String name, String value) {
    }

    QemuOpts {
        parameters = List.copyOf(parameters);
    }

    /** The value QEMU uses for a parameter: the last one given. */
    Optional<String> last(String name) {
        for (int i = parameters.size() - 1; i >= 0; i--) {
            if (parameters.get(i).name().equals(name)) {
                return Optional.of(parameters.get(i).value());
            }
        }
        return Optional.empty();
    }

    boolean has(String name) {
        return last(name).isPresent();
    }

    boolean bool(String name, boolean absent) {
        return last(name).map(v -> OptionValues.parseBool(name, v)).orElse(absent);
    }

    /** A copy with more parameters at the end (QEMU's {@code qemu_opt_set} after parsing). */
    QemuOpts with(List<Parameter> more) {
        List<Parameter> all = new ArrayList<>(parameters);
        all.addAll(more);
        return new QemuOpts(location, id, all);
    }

    /**
     * {@code qemu_opts_parse_noisily}: the id first (well-formed, not yet used in {@code usedIds}), then the
     * parameters with the deprecation warnings for short-form booleans added to {@code warnings}.
     */
    static QemuOpts parse(QemuOptsList list, String location, String text, Set<String> usedIds,
                          List<String> warnings) {
        Optional<String> id = scanId(text);
        if (id.isPresent()) {
            if (!OptionValues.isIdentifier(id.get())) {
                throw CommandLineException.at(location, OptionValues.badIdentifier());
            }
            if (!usedIds.add(id.get())) {
                throw CommandLineException.at(location, "Duplicate ID '" + id.get() + "' for " + list.name());
            }
        }
        List<Parameter> parameters = parseParameters(list, location, text, list.impliedKey(), warnings);
        return new QemuOpts(location, id, parameters);
    }

    /**
     * {@code qemu_opts_do_parse} as the legacy chardev syntax of {@code -qmp} uses it: no warnings for short-form
     * booleans, {@code id} silently dropped.
     */
    static List<Parameter> parseQuietly(QemuOptsList list, String location, String text, String impliedKey) {
        return parseParameters(list, location, text, impliedKey, null);
    }

    private static List<Parameter> parseParameters(QemuOptsList list, String location, String text,
                                                   String impliedKey, List<String> warnings) {
        List<Parameter> parameters = new ArrayList<>();
        Scanner scanner = new Scanner(text);
        String firstName = impliedKey;
        while (scanner.more()) {
            Parameter parameter = scanner.next(firstName, warnings == null ? null : location, warnings);
            firstName = null;
            if (parameter.name().equals("id")) {
                continue;
            }
            validate(list, location, parameter, warnings);
            parameters.add(parameter);
        }
        return parameters;
    }

    /** {@code opts_parse_id}: the first {@code id=} anywhere, scanning without an implied key. */
    static Optional<String> scanId(String text) {
        Scanner scanner = new Scanner(text);
        while (scanner.more()) {
            Parameter parameter = scanner.next(null, null, null);
            if (parameter.name().equals("id")) {
                return Optional.of(parameter.value());
            }
        }
        return Optional.empty();
    }

    private static void validate(QemuOptsList list, String location, Parameter parameter, List<String> warnings) {
        QemuOptsList.ValueType type = list.parameters().get(parameter.name());
        if (type == null) {
            if (list.parameters().isEmpty()) {
                return; // a list that takes any key (-drive) checks its keys itself
            }
            throw CommandLineException.at(location, "Invalid parameter '" + parameter.name() + "'");
        }
        try {
            switch (type) {
                case STRING -> { }
                case BOOL -> OptionValues.parseBool(parameter.name(), parameter.value());
                case NUMBER -> OptionValues.parseNumber(parameter.name(), parameter.value());
                case SIZE -> {
                    OptionValues.parseSize(parameter.name(), parameter.value());
                    if (warnings != null && OptionValues.isHexWithSuffix(parameter.value())) {
                        warnings.add(location + ": warning: Using a multiplier suffix on hex numbers is deprecated: "
                                + parameter.value());
                    }
                }
            }
        } catch (CommandLineException e) {
            throw CommandLineException.at(location, e.getMessage());
        }
    }

    /** {@code get_opt_name_value}: one {@code name=value}, implied {@code value} or flag at a time. */
    private static final class Scanner {
        private final String text;
        private int position;

        Scanner(String text) {
            this.text = text;
        }

        boolean more() {
            return position < text.length();
        }

        Parameter next(String impliedName, String location, List<String> warnings) {
            int length = nameLength();
            Parameter parameter;
            if (position + length < text.length() && text.charAt(position + length) == '=') {
                String name = text.substring(position, position + length);
                position += length + 1;
                parameter = new Parameter(name, value());
            } else if (impliedName != null) {
                parameter = new Parameter(impliedName, value());
            } else {
                parameter = flag(text.substring(position, position + length), location, warnings);
                position += length;
            }
            if (position < text.length() && text.charAt(position) == ',') {
                position++;
            }
            return parameter;
        }

        private int nameLength() {
            int end = position;
            while (end < text.length() && text.charAt(end) != '=' && text.charAt(end) != ',') {
                end++;
            }
            return end - position;
        }

        /** {@code get_opt_value}: up to a single comma; {@code ,,} stands for one comma. */
        private String value() {
            StringBuilder value = new StringBuilder();
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c == ',') {
                    if (position + 1 < text.length() && text.charAt(position + 1) == ',') {
                        position += 2;
                        value.append(',');
                        continue;
                    }
                    break;
                }
                value.append(c);
                position++;
            }
            return value.toString();
        }

        private static Parameter flag(String word, String location, List<String> warnings) {
            boolean negated = word.startsWith("no");
            String name = negated ? word.substring(2) : word;
            String value = negated ? "off" : "on";
            if (warnings != null && !name.equals("help") && !name.equals("?")) {
                String advice = name.equals("delay")
                        ? "nodelay=" + (negated ? "on" : "off")
                        : name + "=" + value;
                warnings.add(location + ": warning: short-form boolean option '" + word + "' deprecated\n"
                        + "Please use " + advice + " instead");
            }
            return new Parameter(name, value);
        }
    }
}
