package org.jqmp.cli.qmp;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jqmp.client.QmpAddress;
import org.jqmp.client.QmpClient;
import org.jqmp.client.QmpClientException;
import org.jqmp.client.QmpClientOptions;
import org.jqmp.client.QmpErrorReplyException;
import org.jqmp.client.Request;
import org.jqmp.client.Transcript;
import org.jqmp.json.Json;
import org.jqmp.json.JsonObject;
import org.jqmp.json.JsonValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jqmp qmp SOCKET COMMAND [key=value ...]}: connect, negotiate, run one command, print its
 * {@code return} value as JSON on stdout. Exit 0 on success; 1 on an error reply (the error object is printed
 * on stdout, a plain line on stderr) or a connection failure; 2 on bad usage.
 */
@Command(name = "qmp", mixinStandardHelpOptions = true,
        description = {"Run one QMP command and print its result as JSON.",
                "SOCKET is a Unix socket path or HOST:PORT; arguments are qmp-shell's key=value pairs",
                "(a.b=1 nests; numbers, true/false and {...}/[...] JSON are typed, the rest are strings)."},
        exitCodeOnInvalidInput = 2)
public final class QmpCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOCKET", description = "Unix socket path, or HOST:PORT")
    String socket;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "e.g. query-status")
    String command;

    @Parameters(index = "2..*", paramLabel = "KEY=VALUE", description = "the command's arguments")
    List<String> arguments = new ArrayList<>();

    @Option(names = {"-p", "--pretty"}, description = "pretty-print the JSON")
    boolean pretty;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "wait at most this long (default 60)")
    long timeoutSeconds = 60;

    @Option(names = {"-l", "--log"}, paramLabel = "FILE", description = "append a transcript of the session to FILE")
    java.nio.file.Path transcript;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonObject args;
        try {
            args = KeyValueArguments.parse(arguments);
        } catch (KeyValueArguments.BadArgument e) {
            err.println("jqmp qmp: " + e.getMessage());
            return 2;
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        QmpClientOptions options = QmpClientOptions.DEFAULT.withConnectTimeout(timeout).withCallTimeout(timeout)
                .withTranscript(transcript == null ? null : Transcript.toFile(transcript));
        try (QmpClient qmp = QmpClient.connect(QmpAddress.parse(socket), options)) {
            print(out, qmp.execute(Request.of(command, args)));
            return 0;
        } catch (QmpErrorReplyException e) {
            print(out, JsonObject.builder().put("error", JsonObject.builder().put("class", e.errorClass())
                    .put("desc", e.desc()).build()).build());
            err.println("jqmp qmp: " + e.errorClass() + ": " + e.desc());
            return 1;
        } catch (QmpClientException e) {
            err.println("jqmp qmp: " + socket + ": " + e.getMessage());
            return 1;
        }
    }

    private void print(PrintWriter out, JsonValue value) {
        out.println(pretty ? Json.writePretty(value) : Json.write(value));
        out.flush();
    }
}
