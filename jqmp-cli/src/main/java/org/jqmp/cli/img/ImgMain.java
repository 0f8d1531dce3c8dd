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
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one qemu-img command line (without "jqmp img"); returns qemu-img's exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return ImgTool.execute(Arrays.asList(args), out, err);
    }
}
