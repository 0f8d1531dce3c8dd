package org.jqmp.block.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.Preallocation;
import org.jqmp.block.QemuTools;
import org.jqmp.block.Qcow2Options;
import org.jqmp.block.img.InfoCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Images jqmp creates and writes pass the real qemu-img check and read back identically through qemu-img. */
class Qcow2WriteInteropTest {
    @TempDir
    Path dir;

    @BeforeEach
    void tools() {
        QemuTools.require("qemu-img", "qemu-io");
    }

    static String jqmpInfoJson(Path img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = InfoCommand.run(new InfoCommand.Options(img.toString(), null, true, false, false),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(rc).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "compat={0} cluster={1} refcount_bits={2} lazy={3} prealloc={4}")
    @CsvSource({"1.1,65536,16,false,off", "0.10,65536,16,false,off", "1.1,512,1,false,off", "1.1,4096,64,true,off",
        "1.1,2097152,8,false,off", "1.1,65536,16,false,metadata", "1.1,4096,16,false,falloc",
        "1.1,65536,16,false,full", "0.10,512,16,false,metadata", "1.1,1024,2,true,full", "1.1,8192,4,false,off"})
    void createdImagesPassCheckAndInfoAgrees(String compat, int cs, int bits, boolean lazy, String prealloc)
            throws IOException {
        Path img = dir.resolve("c.qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(3 << 20).withCompat(compat).withClusterSize(cs)
                .withRefcountBits(bits).withLazyRefcounts(lazy).withPreallocation(Preallocation.parse(prealloc)));
        QemuTools.qemuImg("check", img).ok();
        assertThat(jqmpInfoJson(img)).isEqualTo(QemuTools.qemuImg("info", "--output=json", img).ok().out());
        byte[] mirror = new byte[3 << 20];
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            randomWorkload(n, mirror, new Random(cs + bits), 150);
        }
        QemuTools.qemuImg("check", img).ok();
        assertThat(QemuTools.qemuRaw(img, dir)).isEqualTo(mirror);
        assertThat(jqmpInfoJson(img)).isEqualTo(QemuTools.qemuImg("info", "--output=json", img).ok().out());
    }

    /** Writes, zeroes and discards at random, keeping {@code mirror} what the guest must read. */
    static void randomWorkload(BlockNode n, byte[] mirror, Random rnd, int ops) {
        for (int i = 0; i < ops; i++) {
            int off = rnd.nextInt(mirror.length);
            int len = Math.min(mirror.length - off, 1 + rnd.nextInt(rnd.nextBoolean() ? 5000 : 200_000));
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    n.writeZeroes(off, len);
                    Arrays.fill(mirror, off, off + len, (byte) 0);
                }
                case 1 -> {
                    // discard leaves unspecified content: read it back to keep the mirror honest
                    n.discard(off, len);
                    n.read(off, mirror, off, len);
                }
                case 2 -> n.flush();
                default -> {
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    n.write(off, data, 0, len);
                    System.arraycopy(data, 0, mirror, off, len);
                }
            }
        }
        assertThat(n.read(0, mirror.length)).isEqualTo(mirror);
    }

    @Test
    void writesOverABackingChainCopyOnWriteAndQemuAgrees() throws IOException {
        Path base = dir.resolve("base.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", "-o", "cluster_size=4096", base, "2M").ok();
        QemuTools.qemuIo(base, "write -P 0x61 0 2M").ok();
        Path top = dir.resolve("top.qcow2");
        BlockImages.createQcow2(top, Qcow2Options.of(-1).withBacking("base.qcow2", "qcow2").withClusterSize(65536));
        assertThat(jqmpInfoJson(top)).isEqualTo(QemuTools.qemuImg("info", "--output=json", top).ok().out());
        byte[] mirror = QemuTools.qemuRaw(top, dir);
        try (BlockNode n = BlockImages.open(top, OpenOptions.readWrite())) {
            randomWorkload(n, mirror, new Random(3), 120);
        }
        QemuTools.qemuImg("check", top).ok();
        assertThat(QemuTools.qemuRaw(top, dir)).isEqualTo(mirror);
        // then qemu-io writes more, and jqmp reads what qemu wrote
        QemuTools.qemuIo(top, "write -P 0x77 100k 300k", "write -z 1M 64k", "discard 1500k 128k").ok();
        assertThat(QemuTools.jqmpRaw(top)).isEqualTo(QemuTools.qemuRaw(top, dir));
    }

    @Test
    void refcountTableGrowsAndStaysConsistent() throws IOException {
        // 512-byte clusters with 64-bit refcounts: one block covers 64 clusters, one table cluster 64 blocks
        Path img = dir.resolve("g.qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(8 << 20).withClusterSize(512).withRefcountBits(64));
        byte[] mirror = new byte[8 << 20];
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            new Random(5).nextBytes(mirror);
            for (int at = 0; at < mirror.length; at += 1 << 20) {
                n.write(at, mirror, at, 1 << 20);
            }
            n.resize(9 << 20);
        }
        mirror = Arrays.copyOf(mirror, 9 << 20);
        QemuTools.qemuImg("check", img).ok();
        assertThat(QemuTools.qemuRaw(img, dir)).isEqualTo(mirror);
    }

    @Test
    void compressedClustersAreRewrittenByCopyOnWrite() throws IOException {
        Path raw = dir.resolve("src.raw");
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 13);
        }
        Files.write(raw, data);
        Path img = dir.resolve("z.qcow2");
        QemuTools.qemuImg("convert", "-c", "-O", "qcow2", raw, img).ok();
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            n.write(70_000, new byte[] {1, 2, 3}, 0, 3);
            data[70_000] = 1;
            data[70_001] = 2;
            data[70_002] = 3;
            n.writeZeroes(0, 65536);
            Arrays.fill(data, 0, 65536, (byte) 0);
        }
        QemuTools.qemuImg("check", img).ok();
        assertThat(QemuTools.qemuRaw(img, dir)).isEqualTo(data);
    }

    @Test
    void manyThreadsWritingAtOnceThroughTheAsyncApi() throws IOException {
        Path img = dir.resolve("t.qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(4 << 20).withClusterSize(4096));
        byte[] mirror = new byte[4 << 20];
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            Random rnd = new Random(11);
            for (int i = 0; i < 400; i++) {
                // disjoint 1000-byte slots, so the result does not depend on ordering; slots share clusters
                int slot = i * 10_000 + rnd.nextInt(5000);
                byte[] d = new byte[1000];
                rnd.nextBytes(d);
                System.arraycopy(d, 0, mirror, slot, 1000);
                inFlight.add(n.writeAsync(slot, d, 0, 1000));
                if (i % 50 == 0) {
                    inFlight.add(n.flushAsync());
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            byte[] back = new byte[mirror.length];
            n.readAsync(0, back, 0, back.length).join();
            assertThat(back).isEqualTo(mirror);
        }
        QemuTools.qemuImg("check", img).ok();
        assertThat(QemuTools.qemuRaw(img, dir)).isEqualTo(mirror);
    }
}
