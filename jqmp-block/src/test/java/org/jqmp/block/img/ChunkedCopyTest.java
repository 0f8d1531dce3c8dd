package org.jqmp.block.img;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.QemuTools;
import org.jqmp.block.Qcow2Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * convert's copy on several threads: sources of many chunks with holes, an odd tail and a backing file come out
 * equal, and the target's clusters are allocated in guest order (writes go out chunk by chunk, in order).
 */
class ChunkedCopyTest {
    private static final int SIZE = 9 * ChunkedCopy.CHUNK + 25 * 512; // qcow2 sizes are whole sectors

    @TempDir
    Path dir;

    private byte[] sparseRaw(Path raw, long seed) throws Exception {
        byte[] data = new byte[SIZE];
        Random rnd = new Random(seed);
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(SIZE); // holes: the source says zero there, so those chunks are never read
            for (int at = 0; at < SIZE; at += 65536) {
                if (rnd.nextInt(3) > 0) {
                    int len = Math.min(1 + rnd.nextInt(65536), SIZE - at);
                    byte[] d = new byte[len];
                    rnd.nextBytes(d);
                    f.seek(at);
                    f.write(d);
                    System.arraycopy(d, 0, data, at, len);
                }
            }
        }
        return data;
    }

    private static int convert(Path src, Path dst, String fmt) {
        return ConvertCommand.run(new ConvertCommand.Options(src.toString(), null, dst.toString(), fmt, false, false,
                fmt.equals("qcow2") ? Map.of("cluster_size", "65536") : Map.of(), true, false),
                System.out, System.err);
    }

    @Test
    void rawToQcow2AndBackIsExactAndTheTargetIsLaidOutInGuestOrder() throws Exception {
        Path raw = dir.resolve("src.raw"), q = dir.resolve("dst.qcow2"), back = dir.resolve("back.raw");
        byte[] data = sparseRaw(raw, 7);
        assertThat(convert(raw, q, "qcow2")).isZero();
        assertThat(convert(q, back, "raw")).isZero();
        assertThat(java.util.Arrays.mismatch(Files.readAllBytes(back), data)).as("first byte that differs").isEqualTo(-1);
        try (BlockNode n = BlockImages.open(q, OpenOptions.readOnlyOptions())) {
            long lastHost = -1;
            for (long at = 0; at < n.size(); ) {
                Extent x = n.status(at, n.size() - at);
                if (x.state() == Extent.State.DATA) {
                    assertThat(x.hostOffset()).as("host offset of guest %d", at).isGreaterThan(lastHost);
                    lastHost = x.hostOffset();
                }
                at += x.length();
            }
        }
        if (QemuTools.available("qemu-img")) {
            QemuTools.qemuImg("check", q).ok();
            assertThat(QemuTools.qemuImg("compare", raw, q).ok().out()).isEqualTo("Images are identical.\n");
        }
    }

    @Test
    void aBackingChainIsFlattened() throws Exception {
        Path base = dir.resolve("base.raw"), top = dir.resolve("top.qcow2"), flat = dir.resolve("flat.raw");
        byte[] data = sparseRaw(base, 8);
        BlockImages.createQcow2(top, Qcow2Options.of(SIZE).withBacking("base.raw", "raw"));
        byte[] patch = new byte[300_000];
        new Random(9).nextBytes(patch);
        try (BlockNode n = BlockImages.open(top, OpenOptions.readWrite())) {
            n.write(3_000_000, patch, 0, patch.length);
            n.writeZeroes(10_000_000, 2 << 20);
        }
        System.arraycopy(patch, 0, data, 3_000_000, patch.length);
        java.util.Arrays.fill(data, 10_000_000, 10_000_000 + (2 << 20), (byte) 0);
        assertThat(convert(top, flat, "raw")).isZero();
        assertThat(java.util.Arrays.mismatch(Files.readAllBytes(flat), data)).as("first byte that differs").isEqualTo(-1);
    }
}
