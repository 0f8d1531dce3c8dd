package org.jqmp.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Starts the servers under test as real processes: jqmp (its CLI) and the real QEMU 7.2. */
final class Processes {
    static final String QEMU = "qemu-system-x86_64";

    private Processes() {
    }

    /** {@code jqmp run ARGS} in a child JVM, with the test's classpath (which holds jqmp-cli and its libraries). */
    static Process jqmp(Path dir, List<String> args) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, "org.jqmp.cli.Main", "run"));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("jqmp.out").toFile())
                .redirectError(dir.resolve("jqmp.err").toFile())
                .start();
    }

    /** The real QEMU, or the test is skipped (with the reason) when it is not installed. */
    static Process qemu(Path dir, List<String> args) throws IOException {
        assumeInstalled(QEMU, "qemu-system-x86");
        List<String> command = new ArrayList<>(List.of(QEMU));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("qemu.out").toFile())
                .redirectError(dir.resolve("qemu.err").toFile())
                .start();
    }

    static void assumeInstalled(String program, String debianPackage) {
        Assumptions.assumeTrue(onPath(program),
                () -> program + " is not installed (Debian package " + debianPackage + "): test skipped");
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        // the process's own children too (a machine under `script`), before it goes and they become orphans
        java.util.List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** The repository's sibling {@code shared/} directory (the fixtures), or the test is skipped. */
    static Path shared() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate) && Files.isDirectory(p.resolve("shared").resolve("reference"))) {
                return p.resolve("shared");
            }
        }
        Assumptions.abort("../shared (the fixtures) is not beside the repository: test skipped");
        return null;
    }
}
