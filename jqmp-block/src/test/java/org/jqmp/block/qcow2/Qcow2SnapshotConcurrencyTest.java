package org.jqmp.block.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.QemuTools;
import org.jqmp.block.Qcow2Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots taken and deleted while threads keep writing (as a running machine would): each thread owns whole
 * clusters and writes each of them whole with a stamp, so every snapshot must show, in every cluster, one stamp
 * from one write - never a mix - and the image must end as the threads left it, with nothing for check to report.
 */
class Qcow2SnapshotConcurrencyTest {
    private static final int CS = 4096, SIZE = 2 << 20, THREADS = 4, SNAPSHOTS = 6;

    @TempDir
    Path dir;

    @Test
    void snapshotsTakenDuringWritesHoldWholeWrites() throws Exception {
        QemuTools.require("qemu-img");
        Path img = dir.resolve("busy.qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(SIZE).withClusterSize(CS));
        byte[] last = new byte[SIZE / CS];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                writers.add(Thread.ofPlatform().start(() -> write(n, id, running, last, failure)));
            }
            Qcow2Image q = (Qcow2Image) n;
            for (int s = 0; s < SNAPSHOTS; s++) {
                Thread.sleep(20);
                Snapshots.create(q, "s" + s, Instant.now());
                if (s == 2) {
                    Snapshots.delete(q, Snapshots.findByIdAndName(Snapshots.list(q), null, "s1").orElseThrow());
                }
            }
            running.set(false);
            for (Thread w : writers) {
                w.join();
            }
        }
        assertThat(failure.get()).isNull();
        var check = QemuTools.qemuImg("check", img);
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        byte[] now = QemuTools.jqmpRaw(img);
        for (int c = 0; c < last.length; c++) {
            assertThat(now[c * CS + CS - 1]).as("cluster %d", c).isEqualTo(last[c]);
        }
        assertWholeClusters(now);
        for (int s : new int[] {0, 2, 3, 4, 5}) {
            QemuTools.qemuImg("snapshot", "-a", "s" + s, img).ok();
            assertWholeClusters(QemuTools.jqmpRaw(img));
        }
    }

    /** Every cluster holds one stamp throughout (a torn write or a half-copied cluster would mix two). */
    private static void assertWholeClusters(byte[] content) {
        for (int c = 0; c < SIZE / CS; c++) {
            byte[] cluster = Arrays.copyOfRange(content, c * CS, c * CS + CS);
            byte first = cluster[0];
            for (byte b : cluster) {
                if (b != first) {
                    throw new AssertionError("cluster " + c + " mixes stamps " + first + " and " + b);
                }
            }
        }
    }

    /** Thread {@code id} owns clusters c with c % THREADS == id; each write fills one with a fresh stamp. */
    private static void write(BlockNode n, int id, AtomicBoolean running, byte[] last, AtomicReference<Throwable> failure) {
        Random r = new Random(id);
        byte[] buf = new byte[CS];
        try {
            for (int i = 0; running.get() || i < 50; i++) {
                int c = r.nextInt(SIZE / CS / THREADS) * THREADS + id;
                byte stamp = (byte) (1 + r.nextInt(255));
                Arrays.fill(buf, stamp);
                n.write((long) c * CS, buf, 0, CS);
                last[c] = stamp;
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
