package org.jqmp.cli.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jqmp.client.QmpAddress;
import org.jqmp.client.QmpClient;
import org.jqmp.client.QmpClientException;
import org.jqmp.client.QmpClientOptions;
import org.jqmp.client.Transcript;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jqmp shell SOCKET|HOST:PORT}: qmp-shell's interactive session (its options {@code -p -v -l -N -H}),
 * with JLine line editing, a history file, and completion of command and argument names. Exit 0 at the end
 * of input (Ctrl-D); 1 when the connection cannot be made or is lost; 2 on bad usage.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"An interactive QMP shell, speaking qmp-shell's input language:",
                "  command key=value ...   (a.b=1 nests; numbers, true/false and {...}/[...] JSON are typed)",
                "  transaction( type key=value ... )   one action per line, ')' sends the transaction",
                "Tab completes command names and argument names; events print as they arrive; Ctrl-D quits."},
        exitCodeOnInvalidInput = 2)
public final class ShellCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOCKET|HOST:PORT", description = "the monitor: a Unix socket path, or HOST:PORT")
    String address;

    @Option(names = {"-p", "--pretty"}, description = "pretty-print replies and events")
    boolean pretty;

    @Option(names = {"-v", "--verbose"}, description = "echo each command as the JSON sent")
    boolean verbose;

    @Option(names = {"-l", "--log"}, paramLabel = "FILE", description = "append a transcript of the session to FILE")
    Path transcript;

    @Option(names = {"-N", "--skip-negotiation"}, description = "do not send qmp_capabilities (type it yourself)")
    boolean noNegotiation;

    @Option(names = {"-H", "--hmp"}, description = "HMP mode: each line goes through human-monitor-command")
    boolean hmp;

    @Option(names = "--history", paramLabel = "FILE", description = "history file (default ~/.jqmp_shell_history)")
    Path history = Path.of(System.getProperty("user.home"), ".jqmp_shell_history");

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "wait at most this long per command (default 60)")
    long timeoutSeconds = 60;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        ShellSession.Lost lost = new ShellSession.Lost();
        QmpClientOptions options = QmpClientOptions.DEFAULT.withNegotiate(!noNegotiation)
                .withConnectTimeout(timeout).withCallTimeout(timeout).withListener(lost)
                .withTranscript(transcript == null ? null : Transcript.toFile(transcript));
        try (QmpClient qmp = QmpClient.connect(QmpAddress.parse(address), options);
                Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            CommandCatalog catalog = noNegotiation ? CommandCatalog.EMPTY : ShellSession.catalog(qmp);
            LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("jqmp shell")
                    .completer(new ShellCompleter(catalog)).option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
            if (usableHistory(err)) {
                builder.variable(LineReader.HISTORY_FILE, history);
            }
            LineReader reader = builder.build();
            ShellSession session = new ShellSession(qmp, reader, new ShellParser(hmp), pretty, verbose, lost);
            return session.run();
        } catch (QmpClientException e) {
            err.println("jqmp shell: " + address + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("jqmp shell: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("jqmp shell: cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }

    /** A history file that is there but not a readable, writable file is skipped with a warning, not fatal. */
    private boolean usableHistory(PrintWriter err) {
        if (!Files.exists(history) || Files.isRegularFile(history) && Files.isReadable(history)
                && Files.isWritable(history)) {
            return true;
        }
        err.println("jqmp shell: history file " + history + " is not a readable, writable file: history not kept");
        err.flush();
        return false;
    }

    /** Reads lines until the end of input or a lost connection. */
    static int loop(ShellSession session, LineReader reader) {
        while (true) {
            String line;
            try {
                line = reader.readLine(session.prompt());
            } catch (UserInterruptException e) {
                if (session.lost()) {
                    return 1;
                }
                continue; // Ctrl-C drops the line being edited, as in a shell
            } catch (EndOfFileException e) {
                return session.lost() ? 1 : 0;
            }
            if (!session.handle(line)) {
                return 1;
            }
        }
    }
}
