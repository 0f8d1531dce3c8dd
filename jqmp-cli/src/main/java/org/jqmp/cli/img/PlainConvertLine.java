package org.jqmp.cli.img;

import java.util.List;

/**
 * A {@code convert} command line read without picocli, when it is plain: separate short options (the value, if
 * any, in the next argument), then or among them file names. picocli's classes are Java 5 class files, which no
 * class-data archive or AOT cache holds, so loading, verifying and running its model took more CPU than the
 * whole copy of a small image (about 0.15 s of a cold {@code jqmp img convert}; docs/benchmarks.md, "Disk
 * images"). Anything else - long options, clustered or attached short options, "--", "@file", a value that
 * looks like an option, an unknown letter - is left to picocli ({@link #read} answers null), so that every usage
 * error keeps qemu-img's words. The fields set are {@link ConvertSubcommand}'s own, as picocli would set them.
 */
final class PlainConvertLine {
    private PlainConvertLine() {
    }

    /** The subcommand with its fields set from {@code args} (args[0] is "convert"), or null: use picocli. */
    static ConvertSubcommand read(List<String> args) {
        if (args.isEmpty() || !args.get(0).equals("convert")) {
            return null;
        }
        ConvertSubcommand c = new ConvertSubcommand();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.isEmpty() || a.charAt(0) == '@') {
                return null;
            }
            if (a.charAt(0) != '-') {
                c.files.add(a);
                continue;
            }
            if (a.length() != 2) {
                return null; // "-", "--", a long option, a cluster or an attached value
            }
            char letter = a.charAt(1);
            if (flag(c, letter)) {
                continue;
            }
            if (i + 1 >= args.size() || !plainValue(args.get(i + 1)) || !valued(c, letter, args.get(i + 1))) {
                return null;
            }
            i++;
        }
        return c;
    }

    private static boolean plainValue(String v) {
        return !v.isEmpty() && v.charAt(0) != '-' && v.charAt(0) != '@';
    }

    private static boolean flag(ConvertSubcommand c, char letter) {
        switch (letter) {
            case 'c' -> c.compressed = true;
            case 'C' -> c.copyRange = true;
            case 'p' -> c.progress = true;
            case 'q' -> c.quiet = true;
            case 'n' -> c.skipCreate = true;
            case 'W' -> c.outOfOrder = true;
            case 'U' -> c.forceShare = true;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** An option with a value; the last of a repeated one wins (-o collects), as ImgTool sets picocli up. */
    private static boolean valued(ConvertSubcommand c, char letter, String v) {
        switch (letter) {
            case 'f' -> c.sourceFormat = v;
            case 'O' -> c.targetFormat = v;
            case 'B' -> c.backingFile = v;
            case 'F' -> c.backingFormat = v;
            case 'o' -> c.options.add(v);
            case 'l' -> c.snapshot = v;
            case 'S' -> c.sparseSize = v;
            case 'r' -> c.rateLimit = v;
            case 'm' -> c.coroutines = v;
            case 't' -> c.cache = v;
            case 'T' -> c.sourceCache = v;
            default -> {
                return false;
            }
        }
        return true;
    }
}
