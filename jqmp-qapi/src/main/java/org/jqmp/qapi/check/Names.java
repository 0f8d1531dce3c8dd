package org.jqmp.qapi.check;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqmp.qapi.parse.SourceInfo;

/**
 * QAPI's naming rules (qapi-code-gen.rst "Naming rules and reserved names"): letters, digits, '-' and '_',
 * starting with a letter, optionally prefixed by a downstream {@code __RFQDN_} and then {@code x-}; the
 * {@code q_} namespace is reserved; types are CamelCase, commands and members lower-case, events upper-case.
 */
final class Names {
    private static final Pattern VALID = Pattern.compile("(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CAMEL = Pattern.compile("[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*");

    private Names() {
    }

    /** QEMU's c_name(name, protect=False): every character outside [A-Za-z0-9_] becomes '_'. */
    static String cName(String name) {
        char[] c = name.toCharArray(); // a loop, not a regex: this runs for every name in the schema
        for (int i = 0; i < c.length; i++) {
            if (!(c[i] >= 'a' && c[i] <= 'z' || c[i] >= 'A' && c[i] <= 'Z' || c[i] >= '0' && c[i] <= '9')) {
                c[i] = '_';
            }
        }
        return new String(c);
    }

    /**
     * The key under which members clash: c_name with protection. Protection adds {@code q_} to C keywords and
     * to names starting with a digit; since names with {@code q_} are invalid, only the digit case can matter.
     */
    static String clashKey(String name) {
        String c = cName(name);
        return !c.isEmpty() && Character.isDigit(c.charAt(0)) ? "q_" + c : c;
    }

    /** Checks a name's general form and returns its stem (without __RFQDN_ and x- prefixes). */
    static String checkName(String name, SourceInfo info, String source) {
        if (isPlain(name)) {    // no prefix: the name is its own stem (VALID's third group), no regex needed
            if (cName(name).startsWith("q_")) {
                throw info.error(source + " has an invalid name");
            }
            return name;
        }
        Matcher m = VALID.matcher(name);
        if (!m.matches() || cName(name).startsWith("q_")) {
            throw info.error(source + " has an invalid name");
        }
        return m.group(3);
    }

    /** A letter, then letters, digits, '-' and '_', and no {@code x-} prefix: most names of a schema. */
    private static boolean isPlain(String name) {
        if (name.isEmpty() || !isLetter(name.charAt(0))
                || name.length() > 1 && name.charAt(1) == '-' && (name.charAt(0) == 'x' || name.charAt(0) == 'X')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isLetter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    static void checkUpper(String name, SourceInfo info, String source) {
        String stem = checkName(name, info, source);
        if (stem.chars().anyMatch(c -> (c >= 'a' && c <= 'z') || c == '-')) {
            throw info.error("name of " + source + " must not use lowercase or '-'");
        }
    }

    static void checkLower(String name, SourceInfo info, String source, boolean permitUpper,
                           boolean permitUnderscore) {
        String stem = checkName(name, info, source);
        if ((!permitUpper && stem.chars().anyMatch(c -> c >= 'A' && c <= 'Z'))
                || (!permitUnderscore && stem.indexOf('_') >= 0)) {
            throw info.error("name of " + source + " must not use uppercase or '_'");
        }
    }

    static void checkCamel(String name, SourceInfo info, String source) {
        String stem = checkName(name, info, source);
        if (!CAMEL.matcher(stem).matches()) {
            throw info.error("name of " + source + " must use CamelCase");
        }
    }

    /** Definition names: events upper, commands lower (pragma exceptions may use '_'), types CamelCase. */
    static void checkDefinitionName(String name, SourceInfo info, String meta) {
        switch (meta) {
            case "event" -> checkUpper(name, info, meta);
            case "command" -> checkLower(name, info, meta, true,
                    info.pragma().commandNameExceptions().contains(name));
            default -> {
                checkCamel(name, info, meta);
                if (name.endsWith("List")) {
                    throw info.error(meta + " name should not end in 'List'");
                }
            }
        }
    }
}
