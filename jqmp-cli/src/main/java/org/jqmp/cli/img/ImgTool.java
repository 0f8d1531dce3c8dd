package org.jqmp.cli.img;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jqmp.block.file.FileProtocol;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Parses a qemu-img command line the way qemu-img 7.2 does (GNU getopt_long: clustered short options, attached
 * values, options after file names, unique prefixes of long options, the last of a repeated option wins, "--")
 * and answers usage errors with qemu-img's words and exit code 1.
 */
public final class ImgTool {
    static final String PROGRAM = "jqmp img";

    private ImgTool() {
    }

    /** Runs one {@code jqmp img} command line (without "jqmp img"); returns qemu-img's exit code. */
    public static int execute(List<String> arguments, PrintWriter outWriter, PrintWriter errWriter) {
        // Nearly every subcommand opens a file; the file driver's native calls (foreign function API) take
        // 100-150 ms to link in a fresh JVM, which CDS and the AOT cache do not save: link them on a second thread
        // while this one parses the command line (jqmp img convert start-up, docs/benchmarks.md "Disk images").
        Thread.ofPlatform().daemon().name("jqmp-img-warm-up").start(FileProtocol::lockingAvailable);
        PrintStream out = new PrintStream(new WriterOutputStream(outWriter), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new WriterOutputStream(errWriter), true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(arguments);
        ResizeSubcommand resize = new ResizeSubcommand();
        try {
            ConvertSubcommand plain = PlainConvertLine.read(args);
            if (plain != null) {
                return runPlain(plain.streams(out, err), err);
            }
            if (!args.isEmpty() && args.get(0).equals("resize")) {
                // qemu-img takes the size off the end first, so that a negative size is not read as an option
                if (args.size() < 3) {
                    throw ImgError.usage("Not enough arguments");
                }
                resize.size = args.remove(args.size() - 1);
            }
            CommandLine cli = commandLine(args.isEmpty() ? "" : args.get(0), out, err, resize);
            cli.setOut(outWriter);
            cli.setErr(errWriter);
            List<String> expanded = LongOptions.expand(cli, args);
            String negative = LongOptions.negativeNumber(cli, expanded);
            if (negative != null) {
                String[] argv = expanded.toArray(String[]::new);
                throw ImgError.usage("unrecognized option '"
                        + LongOptions.getoptName(cli.getSubcommands().get(args.get(0)), negative, argv) + "'");
            }
            return cli.execute(expanded.toArray(String[]::new));
        } catch (ImgError e) {
            return report(e, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static CommandLine commandLine(String name, PrintStream out, PrintStream err, ResizeSubcommand resize) {
        CommandLine cli = new CommandLine(new Root());
        for (ImgSubcommand c : subcommands(name, resize)) {
            cli.addSubcommand(c.streams(out, err));
        }
        cli.setOverwrittenOptionsAllowed(true);
        cli.setParameterExceptionHandler((e, a) -> report(usageError(e, a), err));
        cli.setExecutionExceptionHandler((e, c, r) -> report(e, err));
        return cli;
    }

    /** A subcommand read without picocli, run as picocli's execute would: an exception is reported, as there. */
    private static int runPlain(ImgSubcommand command, PrintStream err) {
        try {
            return command.call();
        } catch (Exception e) {
            return report(e, err);
        }
    }

    /**
     * The subcommand {@code name} alone when it is one, else all of them (for help and "Command not found"):
     * picocli models every command it is given, by reflection, before it parses anything, and that was a tenth of
     * a {@code jqmp img convert} start (docs/benchmarks.md, "Disk images").
     */
    private static List<ImgSubcommand> subcommands(String name, ResizeSubcommand resize) {
        ImgSubcommand one = switch (name) {
            case "create" -> new CreateSubcommand();
            case "info" -> new InfoSubcommand();
            case "check" -> new CheckSubcommand();
            case "map" -> new MapSubcommand();
            case "compare" -> new CompareSubcommand();
            case "convert" -> new ConvertSubcommand();
            case "resize" -> resize;
            case "rebase" -> new RebaseSubcommand();
            case "commit" -> new CommitSubcommand();
            case "snapshot" -> new SnapshotSubcommand();
            default -> null;
        };
        return one != null ? List.of(one) : List.of(new CreateSubcommand(), new InfoSubcommand(),
                new CheckSubcommand(), new MapSubcommand(), new CompareSubcommand(), new ConvertSubcommand(), resize,
                new RebaseSubcommand(), new CommitSubcommand(), new SnapshotSubcommand());
    }

    /** Prints an error as qemu-img does; returns its exit code. */
    static int report(Exception e, PrintStream err) {
        ImgError error = imgError(e);
        if (error == null) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 1;
        }
        for (String line : error.getMessage().split("\n")) {
            err.println(PROGRAM + ": " + line);
        }
        if (error.hint() != null) {
            err.println(error.hint());
        }
        if (error.usage()) {
            err.println("Try '" + PROGRAM + " --help' for more information");
        }
        return error.exitCode();
    }

    private static ImgError imgError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ImgError i) {
                return i;
            }
        }
        return null;
    }

    /** picocli's parse errors in qemu-img's words (its getopt loop's ':' and '?' cases). */
    static Exception usageError(ParameterException e, String[] args) {
        if (imgError(e) != null) {
            return e; // an option's value was refused while it was read
        }
        CommandLine where = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (where.getParent() == null && !first.startsWith("-")) {
                return ImgError.usage("Command not found: " + first);
            }
            return ImgError.usage("unrecognized option '" + LongOptions.getoptName(where, first, args) + "'");
        }
        if (e instanceof CommandLine.MissingParameterException m && m.getMissing() != null
                && !m.getMissing().isEmpty() && m.getMissing().get(0) instanceof OptionSpec o) {
            return ImgError.usage("missing argument for option '" + typed(o, args) + "'");
        }
        return ImgError.usage(e.getMessage());
    }

    /** The option as the user wrote it (getopt names argv[optind - 1]): the last argument that names it. */
    private static String typed(OptionSpec o, String[] args) {
        for (int i = args.length - 1; i >= 0; i--) {
            String a = args[i];
            for (String name : o.names()) {
                boolean longPrefix = a.startsWith("--") && a.length() > 2 && name.startsWith(a);
                boolean shortTail = !a.startsWith("--") && name.length() == 2 && a.startsWith("-") && a.endsWith(name.substring(1));
                if (a.equals(name) || longPrefix || shortTail) {
                    return a;
                }
            }
        }
        return o.longestName();
    }

    /** {@code jqmp img} without a subcommand. */
    @Command(name = PROGRAM, versionProvider = Root.Version.class, description = "Create, inspect and convert disk images, as qemu-img does.",
            footer = {"", "Each command has its own --help. Exit codes are qemu-img's."})
    static final class Root implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
        boolean help;

        @Option(names = {"-V", "--version"}, versionHelp = true, description = "show the version")
        boolean version;

        @Override
        public Integer call() {
            throw ImgError.usage("Not enough arguments");
        }

        static final class Version implements CommandLine.IVersionProvider {
            @Override
            public String[] getVersion() {
                return new String[] {PROGRAM + " " + org.jqmp.monitor.JqmpVersion.VERSION
                        + " (qemu-img 7.2's command-line syntax)"};
            }
        }
    }
}
