package org.jqmp.cli.img;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jqmp img} as the launcher starts it, a process of its own on {@link ImgMain}: it ends by halting the JVM,
 * so what it printed must all be out by then (stdout and stderr kept apart, as qemu-img's are), with qemu-img's
 * exit statuses, and an image it wrote must be whole.
 */
class ImgProcessTest {
    @Test
    void createThenInfoPrintsWholeJsonAndEndsWithZero(@TempDir Path dir) throws Exception {
        Path img = dir.resolve("a.qcow2");
        Result created = run(dir, "create", "-f", "qcow2", img.toString(), "64M");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.out()).startsWith("Formatting '" + img + "', fmt=qcow2");

        Result info = run(dir, "info", "--output=json", img.toString());
        assertThat(info.status()).as(info.err()).isZero();
        assertThat(info.out()).startsWith("{").endsWith("}\n").contains("\"virtual-size\": 67108864");
        assertThat(info.err()).isEmpty();
    }

    @Test
    void convertedImageIsWholeAfterTheProcessEnds(@TempDir Path dir) throws Exception {
        byte[] data = new byte[3 << 20];
        new java.util.Random(7).nextBytes(data);
        Path src = Files.write(dir.resolve("src.raw"), data);
        Path dst = dir.resolve("dst.qcow2");
        Result convert = run(dir, "convert", "-f", "raw", "-O", "qcow2", src.toString(), dst.toString());
        assertThat(convert.status()).as(convert.err()).isZero();

        Result back = run(dir, "convert", "-f", "qcow2", "-O", "raw", dst.toString(), dir.resolve("back.raw").toString());
        assertThat(back.status()).as(back.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("back.raw"))).isEqualTo(data);
        Result check = run(dir, "check", dst.toString());
        assertThat(check.status()).as(check.out() + check.err()).isZero();
    }

    @Test
    void failuresKeepQemuImgsStatusAndMessage(@TempDir Path dir) throws Exception {
        Result missing = run(dir, "info", dir.resolve("nothing.qcow2").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("Could not open '" + dir.resolve("nothing.qcow2") + "'");
        assertThat(missing.out()).isEmpty();

        Result unknown = run(dir, "frobnicate");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("frobnicate");
    }

    private record Result(int status, String out, String err) {
    }

    /** This JVM's java on the test class path; a run that does not end within a minute fails the test. */
    private static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                ImgMain.class.getName()));
        command.addAll(List.of(args));
        // into files, not pipes: a process that does not end would keep a pipe's reader waiting
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        assertThat(ended).as("jqmp img %s ended; stderr: %s", String.join(" ", args), Files.readString(err)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
