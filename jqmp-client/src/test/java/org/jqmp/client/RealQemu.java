package org.jqmp.client;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The real QEMU 7.2 as a child process with no machine ({@code -M none -S}); tests skip when it is absent. */
final class RealQemu implements AutoCloseable {
    static final String PROGRAM = "qemu-system-x86_64";

    private final Process process;
    private final Path dir;

    private RealQemu(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /** QEMU with {@code -qmp QMP_OPTION}, e.g. {@code unix:/tmp/x.sock,server=on,wait=off}. */
    static RealQemu start(Path dir, String qmpOption) throws IOException {
        Assumptions.assumeTrue(onPath(PROGRAM),
                () -> PROGRAM + " is not installed (Debian package qemu-system-x86): real-QEMU test skipped");
        List<String> command = new ArrayList<>(List.of(PROGRAM, "-M", "none", "-nodefaults", "-S", "-display",
                "none", "-qmp", qmpOption));
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("qemu.out").toFile())
                .redirectError(dir.resolve("qemu.err").toFile()).start();
        return new RealQemu(p, dir);
    }

    /** Waits for QEMU to create its listening socket (or to die, with its stderr in the message). */
    void awaitSocket(Path socket) throws IOException, InterruptedException {
        for (int i = 0; i < 1000 && !Files.exists(socket); i++) {
            if (!process.isAlive()) {
                throw new IOException("QEMU exited: " + Files.readString(dir.resolve("qemu.err")));
            }
            Thread.sleep(10);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
