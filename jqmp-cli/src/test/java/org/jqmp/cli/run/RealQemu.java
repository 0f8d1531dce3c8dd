package org.jqmp.cli.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The installed {@code qemu-system-x86_64} (Debian's QEMU 7.2), the oracle of these tests. */
final class RealQemu {

    static final String PROGRAM = "qemu-system-x86_64";
    /** A refused command line ends at once; this bound only keeps a wrongly accepted one from hanging the suite. */
    static final long EXIT_BOUND_SECONDS = 10;

    private RealQemu() {
    }

    static void assumeInstalled() {
        assumeTrue(find() != null, PROGRAM + " is not installed (Debian package qemu-system-x86); skipping");
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, PROGRAM);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    record Outcome(int exitCode, String stderr) {
    }

    /** Runs QEMU to its exit with stdin from /dev/null; QEMU that keeps running is killed and reported as -1. */
    static Outcome run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PROGRAM));
        command.addAll(args);
        Path stderr = Files.createTempFile("qemu-stderr", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
        try {
            boolean exited = process.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
                process.waitFor();
            }
            return new Outcome(exited ? process.exitValue() : -1, Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
