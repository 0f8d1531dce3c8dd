package org.jqmp.nbd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a real external program (nbdinfo, nbdcopy, qemu-img, qemu-io) and keeps what it said. */
record Tool(int exit, String out, String err) {
    /** Skips the calling test, naming the package, when {@code command} is not installed. */
    static void require(String command, String debianPackage) {
        boolean found = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
        assumeTrue(found, command + " is not installed (Debian package " + debianPackage + "); test skipped");
    }

    static Tool run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 120 s: " + List.of(command));
        }
        return new Tool(p.exitValue(), out.join(), err.join());
    }

    /** Runs and insists on exit status 0. */
    static Tool ok(String... command) throws IOException, InterruptedException {
        Tool t = run(command);
        if (t.exit != 0) {
            throw new AssertionError(List.of(command) + " exited with " + t.exit + ":\n" + t.out + t.err);
        }
        return t;
    }

    private static String drain(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
