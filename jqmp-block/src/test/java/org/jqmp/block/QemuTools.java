package org.jqmp.block;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real qemu-img / qemu-io; tests call {@link #require} first, which skips when they are missing. */
public final class QemuTools {
    private QemuTools() {
    }

    public record Result(int exitCode, String out, String err) {
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    public static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    public static void require(String... tools) {
        for (String t : tools) {
            assumeTrue(available(t), t + " is not installed (Debian: apt-get install qemu-utils); skipping");
        }
    }

    public static Result run(String... cmd) {
        return run(List.of(cmd));
    }

    public static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Result qemuImg(Object... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("qemu-img");
        for (Object a : args) {
            cmd.add(a.toString());
        }
        return run(cmd);
    }

    /** qemu-io with one -c per command. */
    public static Result qemuIo(Path image, String... commands) {
        List<String> cmd = new ArrayList<>(List.of("qemu-io"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(image.toString());
        return run(cmd);
    }

    /** The guest content of an image as qemu-img sees it. */
    public static byte[] qemuRaw(Path image, Path dir) throws IOException {
        Path out = Files.createTempFile(dir, "raw", ".img");
        qemuImg("convert", "-O", "raw", image, out).ok();
        byte[] b = Files.readAllBytes(out);
        Files.delete(out);
        return b;
    }

    /** The guest content of an image as jqmp sees it. */
    public static byte[] jqmpRaw(Path image) {
        try (BlockNode n = BlockImages.open(image, OpenOptions.readOnlyOptions())) {
            long size = n.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new AssertionError("too big for a test");
            }
            return n.read(0, (int) size);
        }
    }
}
