package org.jqmp.machine.block;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real qemu-img and qemu-io, as judges; tests skip when Debian's qemu-utils is not installed. */
final class QemuImg {
    private QemuImg() {
    }

    static void require() {
        for (String tool : List.of("qemu-img", "qemu-io")) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                found |= Files.isExecutable(Path.of(dir, tool));
            }
            assumeTrue(found, tool + " is not installed (Debian: apt-get install qemu-utils); skipping");
        }
    }

    /** Runs the command, returns its standard output; fails the test on a non-zero exit. */
    static String run(String... command) {
        return run(List.of(0), command);
    }

    /**
     * {@code qemu-img check}: no corruption; leaked clusters (exit 3) are allowed, as after QEMU's own failed
     * allocations.
     */
    static String checkNoCorruption(Path image) {
        return run(List.of(0, 3), "qemu-img", "check", image.toString());
    }

    private static String run(List<Integer> okExits, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            if (!okExits.contains(p.exitValue())) {
                throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
