package org.jqmp.cli.shell;

import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jqmp.client.ClientListener;
import org.jqmp.client.QmpClient;
import org.jqmp.client.QmpClientException;
import org.jqmp.client.QmpErrorReplyException;
import org.jqmp.client.QmpTransportException;
import org.jqmp.client.Request;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonString;
import org.jqmp.json.JsonValue;

/**
 * One shell session: each line parsed, sent, its reply printed; events printed above the prompt as they
 * arrive (JLine's printAbove, which redraws the line being typed), so they never wait for Enter.
 */
final class ShellSession {
    private final QmpClient qmp;
    private final LineReader reader;
    private final ShellParser parser;
    private final boolean pretty;
    private final boolean verbose;
    private final Lost lost;

    ShellSession(QmpClient qmp, LineReader reader, ShellParser parser, boolean pretty, boolean verbose, Lost lost) {
        this.qmp = qmp;
        this.reader = reader;
        this.parser = parser;
        this.pretty = pretty;
        this.verbose = verbose;
        this.lost = lost;
    }

    /** Notes a lost connection, says so at once, and interrupts the prompt so the session can end. */
    static final class Lost implements ClientListener {
        private volatile boolean lost;
        private volatile ShellSession session;

        @Override
        public void disconnected(QmpTransportException cause) {
            lost = true;
            ShellSession s = session;
            if (s != null) {
                s.reader.printAbove("connection lost: " + cause.getMessage());
                s.reader.getTerminal().raise(Terminal.Signal.INT);
            }
        }
    }

    /** The completion catalog, from query-commands and query-qmp-schema; empty where the server refuses. */
    static CommandCatalog catalog(QmpClient qmp) {
        return CommandCatalog.of(quietly(qmp, "query-commands"), quietly(qmp, "query-qmp-schema"));
    }

    private static JsonValue quietly(QmpClient qmp, String command) {
        try {
            return qmp.execute(command);
        } catch (QmpErrorReplyException e) {
            return null;
        }
    }

    int run() {
        lost.session = this;
        qmp.onEvent(event -> true, event -> print(event.json()));
        var g = qmp.greeting();
        print("Welcome to jqmp shell. Connected to QEMU " + g.major() + "." + g.minor() + "." + g.micro()
                + "; Ctrl-D quits.");
        return ShellCommand.loop(this, reader);
    }

    boolean lost() {
        return lost.lost;
    }

    String prompt() {
        return parser.inTransaction() ? "TRANS> " : "(QEMU) ";
    }

    /** Handles one line; false when the connection is gone. */
    boolean handle(String line) {
        ShellInput input;
        try {
            input = parser.parse(line);
        } catch (ShellParser.BadInput e) {
            print("error: " + e.getMessage());
            return true;
        }
        return switch (input) {
            case ShellInput.Blank b -> true;
            case ShellInput.Collecting c -> true;
            case ShellInput.Send send -> send(send);
        };
    }

    private boolean send(ShellInput.Send send) {
        if (verbose) {
            JsonObject.Builder cmd = JsonObject.builder().put("execute", send.command());
            if (send.arguments().size() > 0) {
                cmd.put("arguments", send.arguments());
            }
            print(cmd.build());
        }
        try {
            JsonValue result = qmp.execute(Request.of(send.command(), send.arguments()));
            if (send.command().equals("human-monitor-command") && result instanceof JsonString text) {
                if (!text.value().isEmpty()) {
                    print(text.value().stripTrailing());
                }
            } else {
                print(JsonObject.builder().put("return", result).build());
            }
            return true;
        } catch (QmpErrorReplyException e) {
            print("error: " + e.errorClass() + ": " + e.desc());
            return true;
        } catch (QmpTransportException e) {
            print("connection lost: " + e.getMessage());
            return false;
        } catch (QmpClientException e) {
            print("error: " + e.getMessage());
            return !lost.lost;
        }
    }

    private void print(JsonValue json) {
        print(pretty ? ShellJson.pretty(json) : ShellJson.compact(json));
    }

    private void print(String text) {
        reader.printAbove(text);
    }
}
