package org.jqmp.bench.block;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;

/**
 * jqmp-block's side of {@code qemu-img bench}: the same requests in the same order. Request i goes to
 * {@code (offset + i * step) % image size}, as qemu-img 7.2's bench does; {@code depth} requests are in flight at
 * once (here: that many threads, each taking the next request). The clock runs from the first request to the last
 * completion, with every buffer allocated and filled before it starts; like qemu-img bench, the flush at close is
 * not timed. The page cache is used (qemu-img bench
 * {@code -t writeback}). Each worker's buffer is page-aligned native memory, as qemu-img bench's buffers are
 * ({@code qemu_blockalign}); {@code -H} uses a heap array instead (the JDK then copies through a temporary direct
 * buffer on every request).
 *
 * <pre>
 * ImageBench FILE [-f fmt] [-w] [-H] [-c count] [-d depth] [-s size] [-S step] [-o offset] [-r runs]
 * </pre>
 * Prints one line per run: "Run completed in S seconds." (qemu-img bench's words), then the best and the median.
 */
public final class ImageBench {
    record Config(Path file, String format, boolean write, long count, int depth, int size, long step, long offset,
                  int runs, boolean heap) {
    }

    private ImageBench() {
    }

    public static void main(String[] args) throws Exception {
        Config c = parse(args);
        double[] seconds = new double[c.runs()];
        for (int r = 0; r < c.runs(); r++) {
            seconds[r] = runOnce(c);
            System.out.printf("Run completed in %.3f seconds.%n", seconds[r]);
        }
        Arrays.sort(seconds);
        double median = seconds[seconds.length / 2];
        double bytes = (double) c.count() * c.size();
        System.out.printf("jqmp %s %s size=%d step=%d count=%d depth=%d: median %.3f s, %.1f MB/s, %.0f IOPS%n",
                c.write() ? "write" : "read", c.format(), c.size(), c.step(), c.count(), c.depth(), median,
                bytes / median / 1e6, c.count() / median);
    }

    /**
     * One run, timed as qemu-img bench times it: its buffers are allocated and filled before the clock starts
     * (qemu-img: blk_blockalign and memset of all depth buffers, then gettimeofday), so here the workers are
     * started, have their buffers and wait at a gate; the clock runs from opening the gate to the last completion.
     */
    static double runOnce(Config c) throws InterruptedException {
        OpenOptions how = (c.write() ? OpenOptions.readWrite() : OpenOptions.readOnlyOptions()).withFormat(c.format());
        try (BlockNode node = BlockImages.open(c.file(), how); Arena arena = Arena.ofShared()) {
            long imageSize = node.size();
            AtomicLong next = new AtomicLong();
            CountDownLatch ready = new CountDownLatch(c.depth()), gate = new CountDownLatch(1);
            Thread[] workers = new Thread[c.depth()];
            for (int t = 0; t < workers.length; t++) {
                MemorySegment buf = c.heap() ? MemorySegment.ofArray(new byte[c.size()]) : arena.allocate(c.size(), 4096);
                buf.fill((byte) 0xa5); // qemu-img bench's default pattern byte
                workers[t] = Thread.ofPlatform().start(() -> {
                    ready.countDown();
                    awaitQuietly(gate);
                    work(node, c, imageSize, next, buf);
                });
            }
            ready.await();
            long start = System.nanoTime();
            gate.countDown();
            for (Thread w : workers) {
                w.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (c.write()) {
                node.flush();
            }
            return seconds;
        }
    }

    private static void awaitQuietly(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void work(BlockNode node, Config c, long imageSize, AtomicLong next, MemorySegment buf) {
        for (long i = next.getAndIncrement(); i < c.count(); i = next.getAndIncrement()) {
            long at = Math.floorMod(c.offset() + i * c.step(), imageSize);
            if (c.write()) {
                node.write(at, buf);
            } else {
                node.read(at, buf);
            }
        }
    }

    static Config parse(String[] a) {
        Path file = null;
        String format = null;
        boolean write = false, heap = false;
        long count = 75000, step = -1, offset = 0;
        int depth = 64, size = 4096, runs = 3;
        for (int i = 0; i < a.length; i++) {
            switch (a[i]) {
                case "-f" -> format = a[++i];
                case "-w" -> write = true;
                case "-H" -> heap = true;
                case "-c" -> count = Long.parseLong(a[++i]);
                case "-d" -> depth = Integer.parseInt(a[++i]);
                case "-s" -> size = (int) bytes(a[++i]);
                case "-S" -> step = bytes(a[++i]);
                case "-o" -> offset = bytes(a[++i]);
                case "-r" -> runs = Integer.parseInt(a[++i]);
                default -> file = Path.of(a[i]);
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("usage: ImageBench FILE [-f fmt] [-w] [-H] [-c count] [-d depth] [-s size]"
                    + " [-S step] [-o offset] [-r runs]");
        }
        return new Config(file, format, write, count, depth, size, step < 0 ? size : step, offset, runs, heap);
    }

    /** Bytes, with an optional K, M or G suffix (powers of 1024). */
    static long bytes(String s) {
        char last = Character.toUpperCase(s.charAt(s.length() - 1));
        int shift = switch (last) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        return Long.parseLong(shift == 0 ? s : s.substring(0, s.length() - 1)) << shift;
    }
}
