package org.jqmp.cli.img;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * {@code jqmp img} as its own program: the launcher starts this class for {@code img}, so that a run does not
 * build the top-level jqmp command first. That outer picocli layer only hands the arguments on untouched
 * ({@link ImgCommand}), yet it modelled its command by reflection and loaded picocli's Java 5 class files, which
 * no class-data archive holds: about 0.1 s of a cold {@code jqmp img convert} (docs/benchmarks.md, "Disk images").
 */
public final class ImgMain {
    private ImgMain() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = execute(args, out, err);
        out.flush();
        err.flush();
        // Every image is closed and flushed by now, and img registers no shutdown hook. System.exit would
        // start the JDK's System.Logger back end to log the exit (a service lookup through the class path):
        // 10-15 ms of a 70 ms small convert (class-load log). halt ends the process with the same status.
        Runtime.getRuntime().halt(status);
    }

    /** Runs one qemu-img command line (without "jqmp img"); returns qemu-img's exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return ImgTool.execute(Arrays.asList(args), out, err);
    }
}
