package org.jqmp.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import org.jqmp.qapi.QapiTool;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jqmp} command: parse into a value, run it, return an exit code (0 ok, 1 failure, 2 usage). */
@Command(name = "jqmp", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "QEMU's machine protocol stack, in Java.",
        subcommands = {RunCommand.class, org.jqmp.cli.img.ImgCommand.class, QapiCommand.class,
                org.jqmp.cli.qmp.QmpCommand.class, org.jqmp.cli.shell.ShellCommand.class,
                org.jqmp.cli.nbd.NbdCommand.class})
public final class Main implements Runnable {
    /** Subcommands whose arguments are their own syntax (QEMU's options, QAPI's): picocli must not read them. */
    private static final Set<String> VERBATIM = Set.of("run", "qapi");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int status = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        // a successful `qapi` ends by returning (its threads are all daemons): System.exit looks up a logger
        // for its exit event, which opened every jar of the class path, about 20 ms of a `qapi gen`
        // (docs/benchmarks.md, "QAPI compiler")
        if (status != 0 || args.length == 0 || !args[0].equals("qapi")) {
            System.exit(status);
        }
    }

    /** Runs the command line with the given output streams; for tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        // run and qapi read their arguments with their own syntax (QEMU's options, QapiTool's), so they bypass
        // picocli: its classes are Java 5 class files, which a JDK AOT cache does not hold, and loading and
        // verifying them took most of a `jqmp run` start even with the cache (docs/benchmarks.md, "Machine start").
        switch (args.length == 0 ? "" : args[0]) {
            case "run" -> {
                return runMachine(rest, out, err);
            }
            case "qapi" -> {
                return QapiTool.run(new ArrayList<>(Arrays.asList(rest)), System.out, System.err);
            }
            default -> { }
        }
        Supplier<Object> sub = args.length == 0 ? null : subcommand(args[0]);
        // Only the subcommand being run: picocli models every command it is given, by reflection, before it
        // parses anything. Named "jqmp <sub>", its usage and errors read as they do from the whole tree.
        CommandLine cli = new CommandLine(sub == null ? new Main() : sub.get());
        if (sub != null) {
            cli.setCommandName("jqmp " + args[0]);
        } else {
            // QEMU's options (-qmp, -S, ...) are run's positional parameters, not picocli options
            VERBATIM.forEach(name -> cli.getSubcommands().get(name).setUnmatchedOptionsArePositionalParams(true));
        }
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(sub == null ? args : rest);
    }

    /** {@code jqmp run}, as picocli would run it: an exception is a stack trace on err and exit code 1. */
    private static int runMachine(String[] options, PrintWriter out, PrintWriter err) {
        RunCommand command = new RunCommand();
        command.options.addAll(Arrays.asList(options));
        try {
            Integer status = command.call(out, err);
            return status == null ? 0 : status;
        } catch (Exception e) {
            e.printStackTrace(err);
            err.flush();
            return 1;
        }
    }

    private static Supplier<Object> subcommand(String name) {
        return switch (name) {
            case "img" -> org.jqmp.cli.img.ImgCommand::new;
            case "qmp" -> org.jqmp.cli.qmp.QmpCommand::new;
            case "shell" -> org.jqmp.cli.shell.ShellCommand::new;
            case "nbd" -> org.jqmp.cli.nbd.NbdCommand::new;
            default -> null;
        };
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jqmp " + org.jqmp.monitor.JqmpVersion.VERSION
                    + " (speaks QEMU 7.2's QMP)"};
        }
    }
}
