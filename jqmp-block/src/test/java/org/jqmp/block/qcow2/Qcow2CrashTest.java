package org.jqmp.block.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jqmp.block.BlockImages;
import org.jqmp.block.QemuTools;
import org.jqmp.block.Qcow2Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at random moments, again and again on the same image; after each
 * kill, qemu-img check must find no corruption (leaks are allowed) and every batch acknowledged after its
 * flush must read back. Bytes the unacknowledged batch touched may hold either the old or the new content. Every
 * third batch starts by creating an internal snapshot (or deleting the oldest of three), so kills also land inside
 * snapshot metadata switches and inside copy-on-write of clusters snapshots share.
 * The suite runs 12 kills (about 10 s); issue 5's 200 are {@code -Djqmp.crash.kills=200} (about 3 minutes, result
 * in docs/benchmarks.md, "Disk images").
 */
class Qcow2CrashTest {
    private static final int SIZE = 16 << 20;
    private static final int KILLS = Integer.getInteger("jqmp.crash.kills", 12);

    @TempDir
    Path dir;

    @Test
    void killedWritersLeaveConsistentImages() throws Exception {
        QemuTools.require("qemu-img");
        Path img = dir.resolve("crash.qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(SIZE).withClusterSize(4096));
        long seed = 20261124L;
        Random timing = new Random(seed);
        byte[] mirror = new byte[SIZE];
        long nextBatch = 0;
        int corruptFree = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            long lastFlushed = runAndKill(img, seed, nextBatch, 50 + timing.nextInt(700));
            for (long b = nextBatch; b <= lastFlushed; b++) {
                applyBatch(seed, b, mirror);
            }
            var check = QemuTools.qemuImg("check", img);
            assertThat(check.exitCode()).as("qemu-img check after kill %d:\n%s%s", kill, check.out(), check.err())
                    .isIn(0, 3);
            assertThat(check.err()).doesNotContain("ERROR");
            byte[] actual = QemuTools.jqmpRaw(img);
            boolean[] uncertain = touchedBy(seed, lastFlushed + 1);
            for (int i = 0; i < SIZE; i++) {
                if (!uncertain[i] && actual[i] != mirror[i]) {
                    throw new AssertionError("kill " + kill + ": byte " + i + " lost (acknowledged batches <= "
                            + lastFlushed + ")");
                }
            }
            System.arraycopy(actual, 0, mirror, 0, SIZE); // the unacknowledged batch settles as it landed
            nextBatch = lastFlushed + 2;
            corruptFree++;
        }
        assertThat(corruptFree).isEqualTo(KILLS);
        assertThat(QemuTools.qemuRaw(img, dir)).isEqualTo(mirror);
        assertThat(QemuTools.qemuImg("snapshot", "-l", img).ok().out()).as("the workload made snapshots")
                .contains("batch-");
    }

    private static void applyBatch(long seed, long batch, byte[] mirror) {
        for (int i = 0; i < CrashWriter.OPS_PER_BATCH; i++) {
            CrashWriter.apply(CrashWriter.op(seed, batch * CrashWriter.OPS_PER_BATCH + i, SIZE), mirror);
        }
    }

    private static boolean[] touchedBy(long seed, long batch) {
        boolean[] t = new boolean[SIZE];
        for (int i = 0; i < CrashWriter.OPS_PER_BATCH; i++) {
            var op = CrashWriter.op(seed, batch * CrashWriter.OPS_PER_BATCH + i, SIZE);
            java.util.Arrays.fill(t, op.offset(), op.offset() + op.length(), true);
        }
        return t;
    }

    /** Starts the child at {@code firstBatch}, kills it {@code delayMs} after it is ready; returns the last flushed batch. */
    private static long runAndKill(Path img, long seed, long firstBatch, int delayMs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), CrashWriter.class.getName(), img.toString(),
                Long.toString(seed), Long.toString(firstBatch)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (!"READY".equals(first)) {
            p.destroyForcibly();
            throw new AssertionError("writer did not start: " + first);
        }
        Thread.sleep(delayMs);
        // kill -9 from outside: Process.destroyForcibly would also close our end of the child's stdout
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
        p.waitFor(10, TimeUnit.SECONDS);
        long last = firstBatch - 1;
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("FLUSHED ")) {
                last = Long.parseLong(line.substring(8));
            }
        }
        return last;
    }
}
