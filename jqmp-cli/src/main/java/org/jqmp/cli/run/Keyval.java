package org.jqmp.cli.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The newer {@code key=value,...} syntax of {@code -machine}, {@code -compat} and {@code -display}
 * ({@code util/keyval.c}, QEMU 7.2). It differs from QemuOpts: the implied first value ends at the first
 * {@code ,} or {@code =} (no {@code ,,} there), there is no short-form boolean, and a key must be a QAPI name.
 * Later keys win.
 */
final class Keyval {

    /** {@code keyval_parse_one}: key fragments longer than this are refused. */
    static final int MAX_KEY_LENGTH = 127;

    private Keyval() {
    }

    static Map<String, String> parse(String text, String impliedKey, String location) {
        return parse(text, impliedKey, location, false);
    }

    /** With dotted keys ({@code file.driver=file}): each fragment between dots must be a QAPI name. */
    static Map<String, String> parseDotted(String text, String location) {
        return parse(text, null, location, true);
    }

    private static Map<String, String> parse(String text, String impliedKey, String location, boolean dotted) {
        Map<String, String> result = new LinkedHashMap<>();
        int position = 0;
        String implied = impliedKey;
        while (position < text.length()) {
            int keyEnd = position;
            while (keyEnd < text.length() && text.charAt(keyEnd) != '=' && text.charAt(keyEnd) != ',') {
                keyEnd++;
            }
            boolean hasEquals = keyEnd < text.length() && text.charAt(keyEnd) == '=';
            if (implied != null && keyEnd > position && !hasEquals) {
                result.put(implied, text.substring(position, keyEnd));
                position = skipComma(text, keyEnd);
                implied = null;
                continue;
            }
            implied = null;
            String key = text.substring(position, keyEnd);
            if (dotted) {
                for (String fragment : key.split("\\.", -1)) {
                    if (!fragment.matches("[0-9]{1,9}")) { // a list index (inject-error.0.event) is a fragment too
                        checkKey(fragment.isEmpty() ? key : fragment, location);
                    }
                }
            } else {
                checkKey(key, location);
            }
            if (!hasEquals) {
                throw CommandLineException.at(location, "Expected '=' after parameter '" + key + "'");
            }
            StringBuilder value = new StringBuilder();
            position = keyEnd + 1;
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == ',') {
                    if (position >= text.length() || text.charAt(position) != ',') {
                        break;
                    }
                    position++;
                }
                value.append(c);
            }
            result.remove(key);
            result.put(key, value.toString());
        }
        return result;
    }

    private static int skipComma(String text, int position) {
        return position < text.length() && text.charAt(position) == ',' ? position + 1 : position;
    }

    /** {@code parse_qapi_name}: a letter, then letters, digits, '-' and '_'. */
    private static void checkKey(String key, String location) {
        if (!key.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw CommandLineException.at(location, "Invalid parameter '" + key + "'");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw CommandLineException.at(location, "Parameter '" + key + "' is too long");
        }
    }
}
