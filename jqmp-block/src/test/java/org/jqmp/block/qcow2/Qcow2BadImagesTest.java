package org.jqmp.block.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.ImageCorruptException;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.QemuTools;
import org.jqmp.block.Qcow2Options;
import org.jqmp.block.img.ConvertCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad images of issue 5's list, one by one (the fuzz test covers random damage): truncated, offsets past the
 * end, refcount overflow, backing loops. Each gets a BlockException naming the image and what is wrong, and an
 * image found damaged is not written to afterwards.
 */
class Qcow2BadImagesTest {
    private static final int CS = 4096;

    @TempDir
    Path dir;

    /** Header cluster 0, refcount table 1, refcount block 2, L1 3; data written at 64 KiB gets its L2 table. */
    private Path imageWithData() {
        Path img = dir.resolve("bad.qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(4 << 20).withClusterSize(CS));
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            byte[] data = new byte[100_000];
            new Random(4).nextBytes(data);
            n.write(65536, data, 0, data.length);
        }
        return img;
    }

    private static long l2Offset(Path img) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "r")) {
            f.seek(40);
            f.seek(f.readLong());
            return f.readLong() & 0x00fffffffffffe00L;
        }
    }

    private static void putLong(Path img, long at, long value) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(at);
            f.writeLong(value);
        }
    }

    /** Reading through a table that is no longer in the file marks the image corrupt; nothing else is written. */
    @Test
    void truncatedInsideItsL2TableIsCorruptAndThenLeftAlone() throws IOException {
        Path img = imageWithData();
        long l2 = l2Offset(img);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(l2); // the L2 table and what follows are gone
        }
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            assertThatThrownBy(() -> n.read(65536, 4096)).isInstanceOf(ImageCorruptException.class)
                    .hasMessageContaining("L2 table offset").hasMessageContaining("past the end of the file")
                    .extracting(e -> ((BlockException) e).image()).isEqualTo(img.toString());
            byte[] after = Files.readAllBytes(img);
            assertThatThrownBy(() -> n.write(0, new byte[512], 0, 512)).hasMessageContaining("read-only");
            n.flush();
            assertThat(Files.readAllBytes(img)).isEqualTo(after);
        }
        assertThatThrownBy(() -> BlockImages.open(img, OpenOptions.readWrite()))
                .hasMessageContaining("Image is corrupt; cannot be opened read/write");
    }

    @Test
    void truncatedInsideItsHeaderOrTablesIsRefusedAtOpen() throws IOException {
        Path img = imageWithData();
        byte[] good = Files.readAllBytes(img);
        // header cut, refcount table (cluster 1) and L1 table (cluster 3) missing; like QEMU, jqmp reads a table
        // that ends inside the file's last cluster with zeroes past the end (QEMU's block layer does that too)
        for (int length : new int[] {0, 50, CS - 8, 2 * CS - 8}) {
            Files.write(img, java.util.Arrays.copyOf(good, length));
            assertThatThrownBy(() -> BlockImages.open(img, OpenOptions.readWrite().withFormat("qcow2")))
                    .as("file cut at %d bytes", length).isInstanceOf(BlockException.class)
                    .extracting(e -> ((BlockException) e).image()).isEqualTo(img.toString());
            assertThat(Files.size(img)).as("nothing written while refusing").isEqualTo(length);
        }
    }

    @Test
    void tableOffsetsPastTheEndAreNamed() throws IOException {
        Path img = imageWithData();
        byte[] good = Files.readAllBytes(img);
        putLong(img, 48, 1L << 40); // refcount table offset
        assertThatThrownBy(() -> BlockImages.open(img, OpenOptions.readOnlyOptions()))
                .isInstanceOf(BlockException.class).hasMessageContaining("past the end of the file");
        Files.write(img, good);
        putLong(img, CS, 1L << 40); // refcount table entry 0: the refcount block past the end
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            assertThat(n.read(65536, 16)).isNotEqualTo(new byte[16]); // reads need no refcounts
            assertThatThrownBy(() -> n.write(2 << 20, new byte[CS], 0, CS)).isInstanceOf(BlockException.class)
                    .extracting(e -> ((BlockException) e).image()).isEqualTo(img.toString());
        }
    }

    /** refcount_bits=1 leaves no room for two users of one cluster: compressed clusters each get their own. */
    @Test
    void compressedWritesNeverOverflowNarrowRefcounts() throws IOException {
        Path raw = dir.resolve("c.raw"), q = dir.resolve("c.qcow2");
        byte[] data = new byte[16 * CS];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i / CS % 7); // very compressible: many compressed clusters per host cluster
        }
        Files.write(raw, data);
        int rc = ConvertCommand.run(new ConvertCommand.Options(raw.toString(), "raw", q.toString(), "qcow2", true, false,
                Map.of("refcount_bits", "1", "cluster_size", Integer.toString(CS)), true, false), System.out, System.err);
        assertThat(rc).isZero();
        assertThat(QemuTools.jqmpRaw(q)).isEqualTo(data);
        if (QemuTools.available("qemu-img")) {
            QemuTools.qemuImg("check", q).ok();
        }
    }

    @Test
    void refcountAtItsMaximumIsNotIncrementedPastIt() throws IOException {
        Path q = dir.resolve("max.qcow2");
        BlockImages.createQcow2(q, Qcow2Options.of(1 << 20).withClusterSize(CS).withRefcountBits(2));
        byte[] cluster = new byte[CS];
        java.util.Arrays.fill(cluster, (byte) 3);
        try (BlockNode n = BlockImages.open(q, OpenOptions.readWrite())) {
            Qcow2Edits.Cursor cursor = new Qcow2Edits.Cursor();
            for (int i = 0; i < 8; i++) { // 2-bit refcounts: at most 3 users per host cluster
                Qcow2Edits.writeCompressed((Qcow2Image) n, (long) i * CS, cluster, cursor);
            }
            for (int i = 0; i < 8; i++) {
                assertThat(n.read((long) i * CS, CS)).isEqualTo(cluster);
            }
        }
        if (QemuTools.available("qemu-img")) {
            QemuTools.qemuImg("check", q).ok();
        }
    }

    @Test
    void backingLoopsOfAnyLengthAndTooDeepChainsAreRefused() throws IOException {
        Path self = dir.resolve("self.qcow2");
        BlockImages.createQcow2(self, Qcow2Options.of(1 << 20).withBacking("self.qcow2", "qcow2"));
        assertThatThrownBy(() -> BlockImages.open(self, OpenOptions.readOnlyOptions()))
                .isInstanceOf(BlockException.class).hasMessageContaining("loops")
                .extracting(e -> ((BlockException) e).image()).isEqualTo(self.toString());
        // a -> b -> c -> a
        for (String[] link : new String[][] {{"a", "b"}, {"b", "c"}, {"c", "a"}}) {
            BlockImages.createQcow2(dir.resolve(link[0] + ".qcow2"), Qcow2Options.of(1 << 20)
                    .withBacking(link[1] + ".qcow2", "qcow2"));
        }
        assertThatThrownBy(() -> BlockImages.open(dir.resolve("a.qcow2"), OpenOptions.readOnlyOptions()))
                .isInstanceOf(BlockException.class).hasMessageContaining("loops");
        Path prev = dir.resolve("d0.qcow2");
        BlockImages.createQcow2(prev, Qcow2Options.of(1 << 20));
        for (int i = 1; i <= 70; i++) { // deeper than maxBackingDepth (64)
            Path next = dir.resolve("d" + i + ".qcow2");
            BlockImages.createQcow2(next, Qcow2Options.of(1 << 20).withBacking(prev.getFileName().toString(), "qcow2"));
            prev = next;
        }
        Path top = prev;
        assertThatThrownBy(() -> BlockImages.open(top, OpenOptions.readOnlyOptions()))
                .isInstanceOf(BlockException.class).hasMessageContaining("maxBackingDepth");
    }

    @Test
    void absurdSnapshotCountIsRefusedByItsLimit() throws IOException {
        Path img = imageWithData();
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(60);
            f.writeInt(Integer.MAX_VALUE); // nb_snapshots
            f.writeLong(5L * CS); // snapshots_offset
        }
        assertThatThrownBy(() -> {
            try (BlockNode n = BlockImages.open(img, OpenOptions.readOnlyOptions())) {
                Snapshots.list((Qcow2Image) n);
            }
        }).isInstanceOf(BlockException.class).hasMessageContaining("maxSnapshots");
    }
}
