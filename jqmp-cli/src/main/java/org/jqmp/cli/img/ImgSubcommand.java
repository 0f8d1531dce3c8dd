package org.jqmp.cli.img;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What every qemu-img subcommand shares: the output streams, {@code -h/--help}, the {@code --object} and
 * {@code --image-opts} options jqmp parses but cannot honour, and qemu-img's checks of common option values.
 */
abstract class ImgSubcommand implements Callable<Integer> {
    /** QEMU's bdrv_parse_cache_mode names. */
    private static final Set<String> CACHE_MODES = Set.of("none", "off", "directsync", "writeback", "unsafe",
            "writethrough");

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Option(names = "--object", paramLabel = "OBJECTDEF", description = "user-creatable object (not supported)")
    List<String> objects = new ArrayList<>();

    PrintStream out;
    PrintStream err;

    final ImgSubcommand streams(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return this;
    }

    @Override
    public final Integer call() {
        if (!objects.isEmpty()) {
            throw new ImgError("--object is not supported by jqmp img (it has no user-creatable objects)", false);
        }
        return run();
    }

    /** Checks the arguments in qemu-img's order, then runs the engine's command; returns the exit code. */
    abstract int run();

    static void refuseImageOpts(boolean imageOpts) {
        if (imageOpts) {
            throw new ImgError("--image-opts is not supported by jqmp img: give a file name", false);
        }
    }

    /** qemu-img's --output check: null (human), "human" or "json". */
    static boolean json(String output) {
        if (output == null || output.equals("human")) {
            return false;
        }
        if (output.equals("json")) {
            return true;
        }
        throw new ImgError("--output must be used with human or json as argument.", false);
    }

    /**
     * -t/-T: jqmp always goes through the page cache, so a valid mode is accepted and has no further effect.
     * @param what "cache" for -t, "source cache" for -T (qemu-img's words)
     */
    static void checkCacheMode(String mode, String what) {
        if (mode != null && !CACHE_MODES.contains(mode)) {
            throw new ImgError("Invalid " + what + " option: " + mode, false);
        }
    }

    static void expectOne(List<String> files) {
        if (files.size() != 1) {
            throw ImgError.usage("Expecting one image file name");
        }
    }

    static void unsupported(boolean given, String what) {
        if (given) {
            throw new ImgError(what + " is not supported by jqmp img yet", false);
        }
    }

    static PrintStream quietly(PrintStream out, boolean quiet) {
        return quiet ? new PrintStream(OutputStream.nullOutputStream()) : out;
    }
}
