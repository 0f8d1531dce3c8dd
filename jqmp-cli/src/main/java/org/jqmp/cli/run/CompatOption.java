package org.jqmp.cli.run;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jqmp.api.runtime.CompatPolicy;

/**
 * {@code -compat deprecated-input=accept|reject|crash,deprecated-output=accept|hide,unstable-input=...,
 * unstable-output=...} (keyval visited as QAPI {@code CompatPolicy}, {@code qapi/compat.json}). Each
 * {@code -compat} replaces the whole policy: {@code -compat deprecated-input=reject -compat
 * unstable-input=reject} leaves deprecated commands accepted (observed on QEMU 7.2).
 */
final class CompatOption {

    private static final String[] MEMBERS =
            {"deprecated-input", "deprecated-output", "unstable-input", "unstable-output"};

    private CompatOption() {
    }

    static CompatPolicy parse(String text, String location) {
        Map<String, String> values = Keyval.parse(text, null, location);
        CompatPolicy.Input deprecatedInput = input(values, MEMBERS[0], location);
        CompatPolicy.Output deprecatedOutput = output(values, MEMBERS[1], location);
        CompatPolicy.Input unstableInput = input(values, MEMBERS[2], location);
        CompatPolicy.Output unstableOutput = output(values, MEMBERS[3], location);
        for (String key : values.keySet()) {
            if (!List.of(MEMBERS).contains(key)) {
                throw CommandLineException.at(location, "Parameter '" + key + "' is unexpected");
            }
        }
        return new CompatPolicy(deprecatedInput, deprecatedOutput, unstableInput, unstableOutput);
    }

    private static CompatPolicy.Input input(Map<String, String> values, String member, String location) {
        String value = values.getOrDefault(member, "accept");
        return switch (value) {
            case "accept", "reject", "crash" -> CompatPolicy.Input.valueOf(value.toUpperCase(Locale.ROOT));
            default -> throw rejected(member, value, location);
        };
    }

    private static CompatPolicy.Output output(Map<String, String> values, String member, String location) {
        String value = values.getOrDefault(member, "accept");
        return switch (value) {
            case "accept", "hide" -> CompatPolicy.Output.valueOf(value.toUpperCase(Locale.ROOT));
            default -> throw rejected(member, value, location);
        };
    }

    private static CommandLineException rejected(String member, String value, String location) {
        return CommandLineException.at(location, "Parameter '" + member + "' does not accept value '" + value + "'");
    }
}
