package org.jqmp.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jqmp.qapi.QapiTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jqmp qapi check|gen|doc ...}: the QAPI schema compiler (its own argument syntax, see QapiTool). */
@Command(name = "qapi", description = {"QAPI schema compiler:",
        "  check [--legacy-docs] FILE.json",
        "  gen -o DIR [--package P] [--legacy-docs] FILE.json",
        "  doc -o DIR FILE.json"})
final class QapiCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "ARG")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return QapiTool.run(args, System.out, System.err);
    }
}
