package org.jqmp.cli.img;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The parts of GNU getopt_long that picocli does differently: a long option may be shortened to any unique
 * prefix ("--back" for "--backing-chain", "--out=json"), and an unknown short option is named the way qemu-img
 * names it (argv[optind - 1]).
 */
final class LongOptions {
    private LongOptions() {
    }

    /** The arguments with every unique prefix of a long option of the subcommand written out in full. */
    static List<String> expand(CommandLine root, List<String> args) {
        if (args.isEmpty() || !root.getSubcommands().containsKey(args.get(0))) {
            return args;
        }
        List<String> names = new ArrayList<>();
        root.getSubcommands().get(args.get(0)).getCommandSpec().options().forEach(o -> {
            for (String n : o.names()) {
                if (n.startsWith("--")) {
                    names.add(n);
                }
            }
        });
        List<String> out = new ArrayList<>(args.size());
        boolean options = true;
        for (String a : args) {
            if (a.equals("--")) {
                options = false;
            }
            out.add(options && a.startsWith("--") && a.length() > 2 ? complete(a, names) : a);
        }
        return out;
    }

    private static String complete(String arg, List<String> names) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        if (names.contains(name)) {
            return arg;
        }
        List<String> matches = names.stream().filter(n -> n.startsWith(name)).toList();
        return matches.size() == 1 ? matches.get(0) + (eq < 0 ? "" : arg.substring(eq)) : arg;
    }

    /**
     * How getopt names an unknown option: a long one as written; in a cluster of short options the whole
     * argument when the unknown letter ends it, otherwise the argument before it (getopt has not moved on yet).
     */
    static String getoptName(CommandLine command, String unmatchedPart, String[] args) {
        String unmatched = cluster(unmatchedPart, args);
        if (unmatched.startsWith("--") || unmatched.length() <= 2 || !unmatched.startsWith("-")) {
            return unmatched;
        }
        var spec = command.getCommandSpec();
        for (int i = 1; i < unmatched.length(); i++) {
            var option = spec.findOption(unmatched.charAt(i));
            if (option == null) {
                if (i == unmatched.length() - 1) {
                    return unmatched;
                }
                int at = List.of(args).indexOf(unmatched);
                return at > 0 ? args[at - 1] : command.getCommandName();
            }
            if (option.arity().max() > 0) {
                return unmatched; // the rest is the option's value
            }
        }
        return unmatched;
    }

    /**
     * picocli reads "-1" as a file name or size; getopt reads it as an (unknown) option. Returns the first such
     * argument before "--" that is not the value of the option before it, or null.
     */
    static String negativeNumber(CommandLine root, List<String> args) {
        CommandLine sub = args.isEmpty() ? null : root.getSubcommands().get(args.get(0));
        if (sub == null) {
            return null;
        }
        var spec = sub.getCommandSpec();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                return null;
            }
            if (a.length() > 1 && a.charAt(0) == '-' && Character.isDigit(a.charAt(1)) && !takesValue(spec, args.get(i - 1))) {
                return a;
            }
        }
        return null;
    }

    private static boolean takesValue(CommandLine.Model.CommandSpec spec, String previous) {
        var option = previous.startsWith("--") ? spec.findOption(previous)
                : previous.length() == 2 && previous.startsWith("-") ? spec.findOption(previous.charAt(1)) : null;
        return option != null && option.arity().max() > 0;
    }

    /** picocli reports "-q" out of "-Uq": the argument it came from. */
    private static String cluster(String unmatched, String[] args) {
        if (unmatched.length() != 2 || !unmatched.startsWith("-") || List.of(args).contains(unmatched)) {
            return unmatched;
        }
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.length() > 2 && a.startsWith("-") && !a.startsWith("--") && a.indexOf(unmatched.charAt(1)) > 0) {
                return a;
            }
        }
        return unmatched;
    }
}
