package org.jqmp.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jqmp} command: parse into a value, run it, return an exit code (0 ok, 1 failure, 2 usage). */
@Command(name = "jqmp", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "QEMU's machine protocol stack, in Java.",
        subcommands = {RunCommand.class, org.jqmp.cli.img.ImgCommand.class, QapiCommand.class,
                org.jqmp.cli.qmp.QmpCommand.class, org.jqmp.cli.shell.ShellCommand.class,
                org.jqmp.cli.nbd.NbdCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams; for tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        // QEMU's options (-qmp, -S, ...) are run's positional parameters, not picocli options
        cli.getSubcommands().get("run").setUnmatchedOptionsArePositionalParams(true);
        cli.getSubcommands().get("qapi").setUnmatchedOptionsArePositionalParams(true);
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jqmp " + org.jqmp.monitor.JqmpVersion.VERSION
                    + " (speaks QEMU 7.2's QMP)"};
        }
    }
}
