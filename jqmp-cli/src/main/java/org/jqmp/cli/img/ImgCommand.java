package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code jqmp img <subcommand> ...}: takes every argument untouched and hands it to {@link ImgTool}, which parses
 * it the way qemu-img does (GNU getopt rules, qemu-img's messages and exit codes). The outer parser must not
 * interpret anything: a "--" or a "-1" belongs to the subcommand.
 */
@Command(name = "img", description = "Create, inspect and convert disk images (raw, qcow2) with qemu-img's syntax.")
public final class ImgCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandSpec spec;

    /** Options before the subcommand name (jqmp img --help); picocli collects them here, in order. */
    @Unmatched
    List<String> leading = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "ARG", parameterConsumer = Verbatim.class,
            description = "a qemu-img subcommand and its arguments")
    List<String> rest = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(leading);
        args.addAll(rest);
        CommandLine cl = spec.commandLine();
        return ImgTool.execute(args, cl.getOut(), cl.getErr());
    }

    /** Takes all remaining arguments as they are, from the first positional one on. */
    static final class Verbatim implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            List<String> list = argSpec.getValue();
            while (!args.isEmpty()) {
                list.add(args.pop());
            }
        }
    }
}
