package org.jqmp.block.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockLimits;
import org.jqmp.block.BlockNode;
import org.jqmp.block.ImageCorruptException;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.Qcow2Options;

/**
 * Mutated qcow2 images, opened read-write and then read, written, zeroed, discarded and flushed. Small valid
 * images of several kinds (v2 and v3, cluster sizes 512 to 64 KiB, refcount widths 1 and 16, lazy refcounts,
 * compressed and zero clusters, a backing file) get mutations aimed at their header, L1 table, first L2 table,
 * refcount table and first refcount block, or anywhere, or are truncated. Whatever happens:
 * <ul>
 * <li>the only exception is {@link BlockException}, with a message and the image it is about;</li>
 * <li>no OutOfMemoryError (small {@link BlockLimits}) and no hang: the work per input is bounded;</li>
 * <li>once the engine says the image is damaged ({@link ImageCorruptException}, or it turned the image
 *     read-only), it writes nothing more to it, closing included: the file stays byte for byte as it was.</li>
 * </ul>
 * Under plain {@code mvn test} Jazzer runs the seed inputs in {@code Qcow2FuzzTestInputs} (the hand-made
 * {@code seed-NN} and each finding's input, named after it); with {@code JAZZER_FUZZ=1} it fuzzes for 30 s,
 * guided by coverage of {@code org.jqmp.block} (decisions 14), and {@code JAZZER_MAX_DURATION=10m} makes a longer
 * campaign. Each finding of the campaigns is among the seeds, named after what it found (in the engine: fields
 * with bit 31 or 63 set that slipped past a bound, a NUL in the backing file name; in this harness: offsets it
 * computed from a mutated header, a failing close, a far-out allocation's sparse file of gigabytes).
 */
class Qcow2FuzzTest {
    private static final BlockLimits LIMITS = new BlockLimits(1 << 16, 1 << 20, 1L << 40, 4, 4096, 64,
            256 << 10, 64 << 10);
    private static final Path DIR = tempDir();
    private static final List<byte[]> BASES = new ArrayList<>();

    static {
        BASES.add(base("v3-4k.qcow2", Qcow2Options.of(2 << 20).withClusterSize(4096), false));
        BASES.add(base("v2-512.qcow2", Qcow2Options.of(1 << 20).withClusterSize(512).withCompat("0.10"), false));
        BASES.add(base("rc1-lazy.qcow2", Qcow2Options.of(2 << 20).withClusterSize(4096).withRefcountBits(1)
                .withLazyRefcounts(true), false));
        BASES.add(base("compressed-64k.qcow2", Qcow2Options.of(4 << 20), true));
        BASES.add(base("backed.qcow2", Qcow2Options.of(2 << 20).withClusterSize(4096)
                .withBacking("fuzz-base.raw", "raw"), false));
    }

    @FuzzTest(maxDuration = "30s")
    void mutatedImagesFailCleanlyAndAreNotWrittenOnceDamaged(FuzzedDataProvider data) throws IOException {
        byte[] image = BASES.get(data.consumeInt(0, BASES.size() - 1)).clone();
        int mutations = data.consumeInt(1, 6);
        for (int i = 0; i < mutations && image.length > 0; i++) {
            image = mutate(image, data);
        }
        Path file = DIR.resolve("fuzz.qcow2");
        Files.write(file, image);
        BlockNode node;
        try {
            node = BlockImages.open(file, OpenOptions.readWrite().withLocking(false).withLimits(LIMITS));
        } catch (BlockException e) {
            expectClear(e);
            return;
        }
        byte[] frozen = null; // the file's fingerprint when the engine found it damaged
        try {
            frozen = exercise(node, file, data);
        } finally {
            try {
                node.close(); // flushes: may meet damage too, and must not write once it was found
            } catch (BlockException e) {
                expectClear(e);
            }
        }
        if (frozen != null && !Arrays.equals(frozen, Fingerprint.of(file))) {
            fail("the image was written on close after it was found damaged");
        }
    }

    private static byte[] exercise(BlockNode node, Path file, FuzzedDataProvider data) throws IOException {
        byte[] frozen = null;
        int ops = data.consumeInt(1, 8);
        for (int i = 0; i < ops; i++) {
            try {
                operate(node, data);
            } catch (BlockException e) {
                expectClear(e);
                if (frozen == null && (e instanceof ImageCorruptException || node.isReadOnly())) {
                    frozen = Fingerprint.of(file);
                }
            }
            if (frozen != null && !Arrays.equals(frozen, Fingerprint.of(file))) {
                fail("the image was written after it was found damaged");
            }
        }
        return frozen;
    }

    private static void operate(BlockNode node, FuzzedDataProvider data) {
        long size = node.size();
        int len = data.consumeInt(0, 65536);
        long at = size == 0 ? 0 : Math.floorMod(data.consumeLong(), size);
        len = (int) Math.min(len, size - at);
        switch (data.consumeInt(0, 5)) {
            case 0, 1 -> node.read(at, len);
            case 2 -> {
                byte[] b = new byte[len];
                Arrays.fill(b, data.consumeByte());
                node.write(at, b, 0, len);
            }
            case 3 -> node.writeZeroes(at, len);
            case 4 -> node.discard(at, len);
            default -> node.flush();
        }
    }

    private static void expectClear(BlockException e) {
        assertThat(e.getMessage()).as("message of %s", e).isNotBlank();
        assertThat(e.image()).as("image named by: %s", e.getMessage()).isNotBlank();
    }

    /** One mutation: bytes written into one structure of the image, or the file truncated. */
    private static byte[] mutate(byte[] image, FuzzedDataProvider data) {
        long[][] regions = regions(image);
        int r = data.consumeInt(0, regions.length);
        if (r == regions.length) {
            return Arrays.copyOf(image, data.consumeInt(0, image.length - 1)); // truncated
        }
        long start = Math.clamp(regions[r][0], 0, image.length - 1); // a mutated header may point anywhere
        long len = Math.max(1, Math.min(regions[r][1], image.length - start));
        int at = (int) (start + data.consumeLong(0, len - 1));
        int width = new int[] {1, 2, 4, 8}[data.consumeInt(0, 3)];
        long value = data.consumeLong();
        for (int k = 0; k < width && at + k < image.length; k++) {
            image[at + k] = (byte) (value >>> (8 * (width - 1 - k)));
        }
        return image;
    }

    /** [start, length] of header, L1, first L2, refcount table, first refcount block, and the whole file. */
    private static long[][] regions(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image);
        if (image.length < 104) {
            return new long[][] {{0, image.length}};
        }
        int cs = 1 << Math.min(Math.max(b.getInt(20), 9), 21);
        long l1 = b.getLong(40), reftable = b.getLong(48);
        long l2 = l1 >= 0 && l1 + 8 <= image.length ? b.getLong((int) l1) & 0x00fffffffffffe00L : 0;
        long refblock = reftable >= 0 && reftable + 8 <= image.length ? b.getLong((int) reftable) : 0;
        return new long[][] {{0, 112}, {l1, (long) b.getInt(36) * 8}, {l2, cs}, {reftable, 64}, {refblock, cs},
            {0, image.length}};
    }

    private static byte[] base(String name, Qcow2Options options, boolean compressed) {
        try {
            Path raw = DIR.resolve("fuzz-base.raw");
            if (!Files.exists(raw)) {
                byte[] content = new byte[2 << 20];
                new Random(1).nextBytes(content);
                Files.write(raw, content);
            }
            Path img = DIR.resolve(name);
            BlockImages.createQcow2(img, options);
            try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
                Random rnd = new Random(name.hashCode());
                for (int i = 0; i < 12; i++) {
                    byte[] d = new byte[1 + rnd.nextInt(20_000)];
                    rnd.nextBytes(d);
                    n.write(rnd.nextInt((int) n.size() - d.length), d, 0, d.length);
                }
                n.writeZeroes(0, 65536);
                if (compressed) {
                    byte[] cluster = new byte[65536];
                    Arrays.fill(cluster, (byte) 7);
                    Qcow2Edits.Cursor cursor = new Qcow2Edits.Cursor();
                    Qcow2Edits.writeCompressed((Qcow2Image) n, 1 << 20, cluster, cursor);
                    Qcow2Edits.writeCompressed((Qcow2Image) n, 2 << 20, cluster, cursor);
                }
            }
            return Files.readAllBytes(img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("jqmp-qcow2-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.list(d)) {
                    files.forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory left behind
                }
                d.toFile().delete();
            }));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SHA-256 of a file's size and of its data extents (offset and bytes, found with lseek's SEEK_DATA and
     * SEEK_HOLE). Not the bytes themselves: a damaged refcount structure can make the engine allocate far out, as
     * QEMU would, and the sparse file then holds gigabytes of holes, which no byte array (or reading) can take.
     */
    static final class Fingerprint {
        private static final int SEEK_DATA = 3, SEEK_HOLE = 4, O_RDONLY = 0;
        private static final Linker C = Linker.nativeLinker();
        private static final MethodHandle OPEN = function("open",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        private static final MethodHandle LSEEK = function("lseek",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        private static final MethodHandle CLOSE = function("close",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

        static byte[] of(Path file) throws IOException {
            try (FileChannel ch = FileChannel.open(file); Arena arena = Arena.ofConfined()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long size = ch.size();
                md.update(ByteBuffer.allocate(8).putLong(0, size));
                int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_RDONLY);
                if (fd < 0) {
                    throw new IOException("open " + file + " failed");
                }
                try {
                    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                    long at = 0;
                    while (at < size) {
                        long data = (long) LSEEK.invokeExact(fd, at, SEEK_DATA);
                        if (data < 0) {
                            break; // ENXIO: only a hole from here to the end
                        }
                        at = (long) LSEEK.invokeExact(fd, data, SEEK_HOLE);
                        md.update(ByteBuffer.allocate(16).putLong(0, data).putLong(8, at));
                        for (long p = data; p < at; ) {
                            chunk.clear().limit((int) Math.min(chunk.capacity(), at - p));
                            int n = ch.read(chunk, p);
                            if (n < 0) {
                                break;
                            }
                            p += n;
                            md.update(chunk.flip());
                        }
                    }
                } finally {
                    int ignored = (int) CLOSE.invokeExact(fd);
                }
                return md.digest();
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private static MethodHandle function(String name, FunctionDescriptor type) {
            return C.downcallHandle(C.defaultLookup().find(name).orElseThrow(), type);
        }
    }
}
