package org.jqmp.block.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Many platform threads at once on one qcow2 image over a backing file: partial writes into clusters other
 * threads write too (copy-on-write from the backing file while the cluster is being allocated by another
 * request), write-zeroes and discards of whole clusters (frees) while a flusher applies frees and a reader reads
 * everything. Each byte has one owning thread, so the end state is known; it must read back through jqmp and
 * through qemu-img, and qemu-img check must find nothing.
 */
class Qcow2ConcurrencyTest {
    private static final int CS = 4096, SIZE = 4 << 20, THREADS = 8, STRIPE = 1500, OPS = 1500;
    /** The first half is owned in 1500-byte stripes (clusters shared), the second in whole 3-cluster blocks. */
    private static final int HALF = SIZE / 2, BLOCK = 3 * CS;

    @TempDir
    Path dir;

    static int owner(int b) {
        return b < HALF ? (b / STRIPE) % THREADS : ((b - HALF) / BLOCK) % THREADS;
    }

    @Test
    void overlappingClustersFromManyThreadsEndAsTheOwnersWroteThem() throws Exception {
        Path base = dir.resolve("base.raw");
        byte[] mirror = new byte[SIZE];
        new Random(5).nextBytes(mirror);
        Files.write(base, mirror);
        Path img = dir.resolve("top.qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(SIZE).withClusterSize(CS).withBacking("base.raw", "raw"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> guard(failure, () -> work(n, id, mirror))));
            }
            Thread flusher = Thread.ofPlatform().start(() -> guard(failure, () -> {
                while (running.get()) {
                    n.flush();
                }
            }));
            Thread reader = Thread.ofPlatform().start(() -> guard(failure, () -> {
                Random r = new Random(3);
                byte[] buf = new byte[3 * CS];
                while (running.get()) {
                    n.read(r.nextInt(SIZE - buf.length), buf, 0, buf.length);
                }
            }));
            for (Thread t : threads) {
                t.join();
            }
            running.set(false);
            flusher.join();
            reader.join();
            assertThat(failure.get()).isNull();
            assertThat(java.util.Arrays.mismatch(n.read(0, SIZE), mirror)).as("first byte that differs").isEqualTo(-1);
        }
        if (QemuTools.available("qemu-img")) {
            QemuTools.qemuImg("check", img).ok();
            assertThat(java.util.Arrays.mismatch(QemuTools.qemuRaw(img, dir), mirror)).as("first byte that differs, qemu-img")
                    .isEqualTo(-1);
        }
    }

    /** Random operations on bytes this thread owns; the mirror gets the same (only this thread touches them). */
    private static void work(BlockNode n, int id, byte[] mirror) {
        Random r = new Random(100 + id);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeBuf = arena.allocate(BLOCK);
            for (int op = 0; op < OPS; op++) {
                if (r.nextBoolean()) {
                    int stripe = id + THREADS * r.nextInt(HALF / STRIPE / THREADS);
                    int from = stripe * STRIPE + r.nextInt(STRIPE), len = 1 + r.nextInt(stripe * STRIPE + STRIPE - from);
                    byte[] d = new byte[len];
                    r.nextBytes(d);
                    if (r.nextInt(8) == 0) {
                        n.writeZeroes(from, len);
                        java.util.Arrays.fill(mirror, from, from + len, (byte) 0);
                    } else {
                        n.write(from, d, 0, len);
                        System.arraycopy(d, 0, mirror, from, len);
                    }
                } else {
                    int block = HALF + (id + THREADS * r.nextInt(HALF / BLOCK / THREADS)) * BLOCK;
                    int c = r.nextInt(3), kind = r.nextInt(6);
                    if (kind == 0) {
                        n.discard(block + c * CS, CS); // v3: a zero cluster, the old one freed after a flush
                        java.util.Arrays.fill(mirror, block + c * CS, block + c * CS + CS, (byte) 0);
                    } else if (kind == 1) {
                        n.writeZeroes(block, BLOCK);
                        java.util.Arrays.fill(mirror, block, block + BLOCK, (byte) 0);
                    } else {
                        int from = block + r.nextInt(BLOCK), len = 1 + r.nextInt(block + BLOCK - from);
                        byte[] d = new byte[len];
                        r.nextBytes(d);
                        MemorySegment.copy(MemorySegment.ofArray(d), 0, nativeBuf, 0, len);
                        n.write(from, nativeBuf.asSlice(0, len));
                        System.arraycopy(d, 0, mirror, from, len);
                    }
                }
            }
        }
    }

    private static void guard(AtomicReference<Throwable> failure, Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
