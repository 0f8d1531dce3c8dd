package org.jqmp.cli.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqmp.cli.qmp.KeyValueArguments;
import org.jqmp.json.JsonArray;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;

/**
 * qmp-shell's input language ({@code scripts/qmp/qmp-shell}, {@code QMPShell._build_cmd}): a line is
 * {@code command key=value ...} (values as {@link KeyValueArguments}); words split at blanks except inside
 * single or double quotes, which stay part of the word as qmp-shell keeps them. {@code transaction(} opens a
 * transaction: each following line (or the rest of that line) is one action {@code type key=value ...}, and
 * {@code )} - alone or ending an action line - sends {@code transaction} with the collected actions.
 * In HMP mode every non-blank line is sent whole as {@code human-monitor-command}'s {@code command-line}.
 * Stateful (the open transaction); one per session.
 */
public final class ShellParser {
    // a word: runs of non-blank non-quote characters and quoted strings, as qmp-shell's regular expression
    private static final Pattern WORD = Pattern.compile("(?:[^\\s\"']|\"(?:\\\\.|[^\"])*\"|'(?:\\\\.|[^'])*')+");

    private final boolean hmp;
    private List<JsonValue> actions; // null outside a transaction

    public ShellParser(boolean hmp) {
        this.hmp = hmp;
    }

    /** Thrown for input that is not a command; the message says why. The open transaction is unchanged. */
    public static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message);
        }
    }

    public boolean inTransaction() {
        return actions != null;
    }

    public ShellInput parse(String line) {
        if (hmp) {
            return line.isBlank() ? new ShellInput.Blank()
                    : new ShellInput.Send("human-monitor-command",
                            JsonObject.builder().put("command-line", line.strip()).build());
        }
        List<String> words = words(line);
        if (!words.isEmpty() && words.getFirst().equals("transaction(")) {
            if (actions != null) {
                throw new BadInput("a transaction is already open; end it with ')'");
            }
            actions = new ArrayList<>();
            words.removeFirst();
        }
        if (actions != null) {
            return transactionLine(words);
        }
        if (words.isEmpty()) {
            return new ShellInput.Blank();
        }
        return new ShellInput.Send(words.getFirst(), arguments(words.subList(1, words.size())));
    }

    private ShellInput transactionLine(List<String> words) {
        if (!words.isEmpty() && words.getFirst().equals(")")) {
            if (words.size() > 1) {
                throw new BadInput("unexpected input after ')' closing the transaction: " + words.get(1));
            }
            return close();
        }
        boolean last = !words.isEmpty() && words.getLast().equals(")");
        if (last) {
            words.removeLast();
        }
        if (!words.isEmpty()) {
            JsonObject data = arguments(words.subList(1, words.size()));
            actions.add(JsonObject.builder().put("type", words.getFirst()).put("data", data).build());
        }
        return last ? close() : new ShellInput.Collecting(actions.size());
    }

    private ShellInput close() {
        JsonObject arguments = JsonObject.builder().put("actions", new JsonArray(List.copyOf(actions))).build();
        actions = null;
        return new ShellInput.Send("transaction", arguments);
    }

    private static JsonObject arguments(List<String> pairs) {
        try {
            return KeyValueArguments.parse(pairs);
        } catch (KeyValueArguments.BadArgument e) {
            throw new BadInput(e.getMessage());
        }
    }

    /** The words of a line, as qmp-shell splits them. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(line);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }
}
