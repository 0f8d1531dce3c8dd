package org.jqmp.block.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.ImageCorruptException;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.QemuTools;
import org.jqmp.block.Qcow2Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged images: a clear BlockException, the corrupt bit where QEMU sets it, never a crash of another kind. */
class Qcow2DamageTest {
    @TempDir
    Path dir;

    private Path imageWithData() {
        Path img = dir.resolve("d.qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(2 << 20).withClusterSize(4096));
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            byte[] data = new byte[300_000];
            new Random(1).nextBytes(data);
            n.write(5000, data, 0, data.length);
        }
        return img;
    }

    @Test
    void allocationOntoLiveMetadataMarksTheImageCorruptAndReadOnly() throws IOException {
        Path img = imageWithData();
        // layout: header 0, refcount table 1, refcount block 2, L1 3, then data and the L2 table
        // zero the refcount of cluster 3 (the L1 table): the allocator may now hand it out
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(2 * 4096 + 3 * 2);
            f.writeShort(0);
        }
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            byte[] more = new byte[4096];
            assertThatThrownBy(() -> n.write(1 << 20, more, 0, more.length))
                    .isInstanceOf(ImageCorruptException.class)
                    .hasMessageContaining("qcow2: Marking image as corrupt")
                    .hasMessageContaining("overlaps metadata");
            assertThat(n.isReadOnly()).isTrue();
            assertThatThrownBy(() -> n.write(0, more, 0, 1)).isInstanceOf(BlockException.class)
                    .hasMessageContaining("read-only");
        }
        assertThatThrownBy(() -> BlockImages.open(img, OpenOptions.readWrite()))
                .hasMessageContaining("Image is corrupt; cannot be opened read/write");
        if (QemuTools.available("qemu-img")) {
            assertThat(QemuTools.qemuImg("info", "--output=json", img).out()).contains("\"corrupt\": true");
            assertThat(QemuTools.qemuImg("check", img).exitCode()).isEqualTo(2);
        }
        BlockImages.open(img, OpenOptions.readOnlyOptions()).close(); // still readable
    }

    @Test
    void unalignedRefcountBlockOffsetMarksTheImageCorruptAsQemuDoes() throws IOException {
        Path img = imageWithData();
        // the refcount table (cluster 1) points at the refcount block of cluster 2: move that pointer off alignment
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(4096);
            f.writeLong(2 * 4096 + 512);
        }
        Path twin = Files.copy(img, dir.resolve("twin.qcow2"));
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            byte[] more = new byte[4096];
            assertThatThrownBy(() -> n.write(1 << 20, more, 0, more.length))
                    .isInstanceOf(ImageCorruptException.class)
                    .hasMessageContaining("qcow2: Marking image as corrupt: Refblock offset 0x2200 unaligned "
                            + "(reftable index: 0); further corruption events will be suppressed");
            assertThat(n.isReadOnly()).isTrue();
        }
        assertThatThrownBy(() -> BlockImages.open(img, OpenOptions.readWrite()))
                .hasMessageContaining("Image is corrupt; cannot be opened read/write");
        if (QemuTools.available("qemu-io")) {
            // the same damage, the same words and the same corrupt bit from QEMU
            QemuTools.Result q = QemuTools.run("qemu-io", "-c", "write 1M 4k", twin.toString());
            assertThat(q.out() + q.err()).contains("qcow2: Marking image as corrupt: Refblock offset 0x2200 unaligned "
                    + "(reftable index: 0); further corruption events will be suppressed");
            assertThat(QemuTools.qemuImg("info", "--output=json", twin).out()).contains("\"corrupt\": true");
            assertThat(QemuTools.qemuImg("info", "--output=json", img).out()).contains("\"corrupt\": true");
        }
    }

    @Test
    void lazyRefcountsSetTheDirtyBitWhileOpenAndRepairOnOpen() throws IOException {
        Path img = dir.resolve("lazy.qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(1 << 20).withLazyRefcounts(true));
        byte[] copy;
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            n.write(0, new byte[] {1, 2, 3}, 0, 3);
            n.flush();
            assertThat(((Qcow2Image) n).isDirty()).isTrue();
            copy = Files.readAllBytes(img); // what a crash right now would leave
        }
        try (BlockNode n = BlockImages.open(img, OpenOptions.readOnlyOptions())) {
            assertThat(((Qcow2Image) n).isDirty()).as("clean close clears the dirty bit").isFalse();
        }
        Files.write(img, copy);
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) { // repairs refcounts, clears the bit
            assertThat(((Qcow2Image) n).isDirty()).isFalse();
            assertThat(n.read(0, 3)).containsExactly(1, 2, 3);
        }
        if (QemuTools.available("qemu-img")) {
            QemuTools.qemuImg("check", img).ok();
        }
    }

    @Test
    void randomMetadataDamageNeverEscapesAsAnythingButBlockException() throws IOException {
        Path good = imageWithData();
        byte[] pristine = Files.readAllBytes(good);
        Random rnd = new Random(99);
        Path img = dir.resolve("fuzz.qcow2");
        int clean = 0, refused = 0;
        for (int round = 0; round < 300; round++) {
            byte[] b = pristine.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at = rnd.nextInt(5) == 0 ? rnd.nextInt(112) : rnd.nextInt(Math.min(b.length, 6 * 4096));
                b[at] = (byte) rnd.nextInt(256);
            }
            Files.write(img, b);
            try (BlockNode n = BlockImages.open(img, OpenOptions.readOnlyOptions().withLocking(false))) {
                long size = Math.min(n.size(), 4 << 20);
                for (long at = 0; at < size; at += 1 << 16) {
                    n.read(at, (int) Math.min(1 << 16, size - at));
                }
                clean++;
            } catch (BlockException e) {
                assertThat(e.getMessage()).isNotBlank();
                refused++;
            }
        }
        assertThat(clean + refused).isEqualTo(300);
        assertThat(refused).as("some damage must be detected").isPositive();
        assertThat(clean).as("some damage is harmless (data bytes)").isPositive();
    }
}
