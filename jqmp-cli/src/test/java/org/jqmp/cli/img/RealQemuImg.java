package org.jqmp.cli.img;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmp.cli.Main;

/** The installed qemu-img (Debian's 7.2), the oracle of these tests, and jqmp img run the same way. */
final class RealQemuImg {
    static final String PROGRAM = "qemu-img";

    private RealQemuImg() {
    }

    /** What a run printed, with the program name of qemu-img's messages made jqmp's. */
    record Run(int exitCode, String out, String err) {
        Run normalized(String from, String to) {
            return new Run(exitCode, out.replace(from, to), err.replace(from, to));
        }

        Run ok() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    static void assumeInstalled() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(dir, PROGRAM));
        }
        assumeTrue(found, PROGRAM + " is not installed (Debian package qemu-utils); skipping");
    }

    /** Runs the real qemu-img in {@code dir}; its "qemu-img: " prefixes become "jqmp img: ". */
    static Run qemuImg(Path dir, Object... args) {
        List<String> command = new ArrayList<>(List.of(PROGRAM));
        for (Object a : args) {
            command.add(a.toString());
        }
        try {
            Path out = Files.createTempFile("qemu-img-out", ".txt"), err = Files.createTempFile("qemu-img-err", ".txt");
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("qemu-img did not finish: " + command);
            }
            Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r.normalized("qemu-img: ", "jqmp img: ").normalized("Try 'qemu-img --help'", "Try 'jqmp img --help'");
        } catch (IOException e) {
            throw new AssertionError("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs {@code jqmp img args...} the way {@link ImgCommand} does, with everything after "img". */
    static Run jqmpImg(Object... args) {
        List<String> argv = new ArrayList<>();
        for (Object a : args) {
            argv.add(a.toString());
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc = ImgTool.execute(argv, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(rc, out.toString(), err.toString());
    }

    /** Runs {@code jqmp img args...} through the top-level jqmp command, as ./jqmp does. */
    static Run jqmpMain(Object... args) {
        List<String> argv = new ArrayList<>(List.of("img"));
        for (Object a : args) {
            argv.add(a.toString());
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc = Main.execute(argv.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(rc, out.toString(), err.toString());
    }
}
