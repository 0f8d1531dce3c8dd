package org.jqmp.cli.shell;

import org.jqmp.json.JsonObject;

/** What one line of shell input amounts to. */
public sealed interface ShellInput {
    /** Nothing to send: a blank line. */
    record Blank() implements ShellInput {
    }

    /** An action was added to an open {@code transaction(}; the command goes out at {@code )}. */
    record Collecting(int actions) implements ShellInput {
    }

    /** A command ready to send. */
    record Send(String command, JsonObject arguments) implements ShellInput {
    }
}
