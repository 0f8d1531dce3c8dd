package org.jqmp.block.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockImages;
import org.jqmp.block.BlockNode;
import org.jqmp.block.OpenOptions;
import org.jqmp.block.QemuTools;
import org.jqmp.block.Qcow2Options;
import org.jqmp.block.img.SnapshotCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Internal snapshots jqmp creates, applies and deletes, judged by the real qemu-img (check, snapshot -l, snapshot
 * -a) and qemu-io (read -P), and snapshots qemu-img made, handled by jqmp.
 */
class Qcow2SnapshotTest {
    private static final int SIZE = 4 << 20;

    @TempDir
    Path dir;

    @BeforeEach
    void tools() {
        QemuTools.require("qemu-img", "qemu-io");
    }

    private Path image(String compat, int clusterSize, int refcountBits) {
        Path img = dir.resolve("s-" + compat + "-" + clusterSize + "-" + refcountBits + ".qcow2");
        BlockImages.createQcow2(img, Qcow2Options.of(SIZE).withCompat(compat).withClusterSize(clusterSize)
                .withRefcountBits(refcountBits));
        return img;
    }

    private static void fill(Path img, long offset, int length, int pattern) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) pattern);
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            n.write(offset, b, 0, length);
        }
    }

    private static Snapshot create(Path img, String name) {
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            return Snapshots.create((Qcow2Image) n, name, Instant.now());
        }
    }

    private static List<Snapshot> list(Path img) {
        try (BlockNode n = BlockImages.open(img, OpenOptions.readOnlyOptions())) {
            return Snapshots.list((Qcow2Image) n);
        }
    }

    private static void apply(Path img, String idOrName) {
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            Qcow2Image q = (Qcow2Image) n;
            Snapshots.apply(q, Snapshots.findByIdOrName(Snapshots.list(q), idOrName).orElseThrow());
        }
    }

    private static void delete(Path img, String name) {
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            Qcow2Image q = (Qcow2Image) n;
            Snapshots.delete(q, Snapshots.findByIdAndName(Snapshots.list(q), null, name).orElseThrow());
        }
    }

    /** qemu-img check must say exactly "No errors were found" (no leak, no corruption). */
    private static void checkClean(Path img) {
        var r = QemuTools.qemuImg("check", img);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("No errors were found on the image.");
    }

    private static void qemuReads(Path img, String... patterns) {
        var r = QemuTools.qemuIo(img, patterns).ok();
        assertThat(r.out()).as(r.out()).doesNotContain("Pattern verification failed");
    }

    @ParameterizedTest(name = "compat={0} cluster={1} refcount_bits={2}")
    @CsvSource({"1.1,65536,16", "0.10,65536,16", "1.1,512,64", "1.1,4096,8", "1.1,2097152,16", "1.1,1024,4"})
    void jqmpSnapshotsPassCheckAndQemuImgRestoresThem(String compat, int cs, int bits) {
        Path img = image(compat, cs, bits);
        fill(img, 0, 1 << 20, 0x11);
        create(img, "one");
        checkClean(img);
        fill(img, 512 << 10, 1 << 20, 0x22); // half over the snapshot's data, half new
        checkClean(img);
        create(img, "two");
        fill(img, 3 << 20, 4096, 0x33);
        checkClean(img);
        qemuReads(img, "read -P 0x11 0 512k", "read -P 0x22 512k 1M", "read -P 0x33 3M 4k");

        QemuTools.qemuImg("snapshot", "-a", "one", img).ok();
        checkClean(img);
        qemuReads(img, "read -P 0x11 0 1M", "read -P 0 1M 3M");
        QemuTools.qemuImg("snapshot", "-a", "two", img).ok();
        qemuReads(img, "read -P 0x11 0 512k", "read -P 0x22 512k 1M", "read -P 0 3M 4k");
        delete(img, "one");
        checkClean(img);
        delete(img, "two");
        checkClean(img);
        assertThat(QemuTools.qemuImg("snapshot", "-l", img).ok().out()).isEmpty();
        qemuReads(img, "read -P 0x11 0 512k", "read -P 0x22 512k 1M", "read -P 0 3M 4k");
    }

    @Test
    void jqmpAppliesAndDeletesSnapshotsQemuImgMade() {
        Path img = image("1.1", 65536, 16);
        QemuTools.qemuIo(img, "write -P 0x44 0 256k").ok();
        QemuTools.qemuImg("snapshot", "-c", "base", img).ok();
        QemuTools.qemuIo(img, "write -P 0x55 64k 64k", "write -P 0x66 2M 64k").ok();
        QemuTools.qemuImg("snapshot", "-c", "later", img).ok();
        QemuTools.qemuIo(img, "write -z 0 1M").ok();

        apply(img, "base");
        checkClean(img);
        qemuReads(img, "read -P 0x44 0 256k", "read -P 0 256k 3840k");
        apply(img, "2"); // an id
        qemuReads(img, "read -P 0x44 0 64k", "read -P 0x55 64k 64k", "read -P 0x66 2M 64k");
        fill(img, 0, 4096, 0x77); // copy-on-write of a cluster both snapshots share
        checkClean(img);
        delete(img, "base");
        checkClean(img);
        QemuTools.qemuImg("snapshot", "-a", "later", img).ok();
        qemuReads(img, "read -P 0x44 0 64k", "read -P 0x55 64k 64k");
        delete(img, "later");
        checkClean(img);
        assertThat(list(img)).isEmpty();
    }

    @Test
    void idsNamesAndListingMatchQemuImg() {
        Path ours = image("1.1", 65536, 16), theirs = dir.resolve("theirs.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", theirs, SIZE).ok();
        // duplicate names are allowed; ids count up from the highest; empty names too
        for (String[] step : new String[][] {{"-c", "a"}, {"-c", "a"}, {"-c", "3"}, {"-d", "a"}, {"-c", ""},
            {"-d", "3"}, {"-c", "b"}}) {
            QemuTools.qemuImg("snapshot", step[0], step[1], theirs).ok();
            if (step[0].equals("-c")) {
                create(ours, step[1]);
            } else {
                delete(ours, step[1]);
            }
        }
        assertThat(list(ours)).extracting(s -> s.id() + "=" + s.name())
                .isEqualTo(list(theirs).stream().map(s -> s.id() + "=" + s.name()).toList())
                .containsExactly("2=a", "4=", "5=b");
        Snapshot s = list(ours).get(0);
        assertThat(s.diskSize()).isEqualTo(SIZE);
        assertThat(s.icount()).isZero();
        assertThat(s.dateNanos() % 1000).isZero(); // QEMU's clock has microseconds
        checkClean(ours);
        assertThat(Qcow2WriteInteropTest.jqmpInfoJson(ours))
                .isEqualTo(QemuTools.qemuImg("info", "--output=json", ours).ok().out());
        // qemu-img's own listing of jqmp's table, row for row as jqmp lists it
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCommand.list(new SnapshotCommand.Options(ours.toString(), null, false),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(QemuTools.qemuImg("snapshot", "-l", ours).ok().out());
    }

    @Test
    void compressedAndZeroClustersAreShared() throws Exception {
        Path src = image("1.1", 65536, 16), img = dir.resolve("c.qcow2");
        fill(src, 0, 1 << 20, 0x5a);
        QemuTools.qemuImg("convert", "-c", "-O", "qcow2", src, img).ok();
        QemuTools.qemuIo(img, "write -z 2M 128k", "write -P 0x12 3M 64k").ok();
        create(img, "c");
        checkClean(img);
        QemuTools.qemuIo(img, "write -P 0x13 0 32k", "write -P 0x14 2M 4k", "discard 3M 64k").ok();
        checkClean(img);
        apply(img, "c");
        checkClean(img);
        qemuReads(img, "read -P 0x5a 0 1M", "read -P 0 2M 128k", "read -P 0x12 3M 64k");
        ByteArrayOutputStream check = new ByteArrayOutputStream();
        org.jqmp.block.img.CheckCommand.run(new org.jqmp.block.img.CheckCommand.Options(img.toString(), null, false,
                null, false), new PrintStream(check, true, StandardCharsets.UTF_8), System.err);
        assertThat(check.toString(StandardCharsets.UTF_8)).as("jqmp img check, compressed clusters counted as "
                + "fragmented").isEqualTo(QemuTools.qemuImg("check", img).ok().out());
        delete(img, "c");
        checkClean(img);
        assertThat(QemuTools.jqmpRaw(img)).isEqualTo(QemuTools.qemuRaw(img, dir));
    }

    @Test
    void applyingRestoresTheSnapshotsSize() {
        Path img = image("1.1", 65536, 16);
        fill(img, 0, 4096, 0x21);
        create(img, "small");
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            n.resize(64L << 20);
            n.write(60L << 20, new byte[] {1, 2, 3}, 0, 3);
        }
        checkClean(img);
        apply(img, "small");
        checkClean(img);
        assertThat(list(img).get(0).diskSize()).isEqualTo(SIZE);
        assertThat(QemuTools.qemuImg("info", img).ok().out()).contains("virtual size: 4 MiB (4194304 bytes)");
        qemuReads(img, "read -P 0x21 0 4k");
    }

    @Test
    void refcountsTooNarrowForSharingLeaveTheImageAsItWas() throws Exception {
        Path img = image("1.1", 65536, 1);
        fill(img, 0, 4096, 0x21);
        byte[] before = Files.readAllBytes(img);
        assertThatThrownBy(() -> create(img, "x")).isInstanceOf(BlockException.class)
                .hasMessageContaining("refcount_bits=1");
        checkClean(img);
        assertThat(list(img)).isEmpty();
        assertThat(Arrays.copyOf(Files.readAllBytes(img), 512)).isEqualTo(Arrays.copyOf(before, 512));
    }

    @Test
    void randomWritesBetweenManySnapshotsKeepEveryVersion() {
        Path img = image("1.1", 4096, 16);
        Random r = new Random(5);
        byte[][] versions = new byte[6][];
        byte[] mirror = new byte[SIZE];
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            for (int v = 0; v < versions.length; v++) {
                for (int i = 0; i < 40; i++) {
                    int len = 1 + r.nextInt(20000), off = r.nextInt(SIZE - len);
                    byte[] b = new byte[len];
                    r.nextBytes(b);
                    n.write(off, b, 0, len);
                    System.arraycopy(b, 0, mirror, off, len);
                }
                versions[v] = mirror.clone();
                Snapshots.create((Qcow2Image) n, "v" + v, Instant.now());
            }
        }
        checkClean(img);
        delete(img, "v2");
        delete(img, "v4");
        checkClean(img);
        for (int v : new int[] {5, 0, 3, 1}) {
            apply(img, "v" + v);
            assertThat(QemuTools.jqmpRaw(img)).as("v%d through jqmp", v).isEqualTo(versions[v]);
            QemuTools.qemuImg("snapshot", "-a", "v" + v, img).ok();
            assertThat(QemuTools.jqmpRaw(img)).as("v%d through qemu-img", v).isEqualTo(versions[v]);
        }
        checkClean(img);
    }

    @Test
    void extraDataJqmpDoesNotKnowIsKept() {
        Path img = image("1.1", 65536, 16);
        fill(img, 0, 4096, 0x21);
        create(img, "a");
        byte[] unknown = {1, 2, 3, 4, 5, 6, 7, 8};
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            Qcow2Image q = (Qcow2Image) n;
            MetadataSwitch.run(q, () -> new MetadataSwitch.Target(q.size(), q.clusters().l1Table(),
                    List.of(new SnapshotTable.Entry(SnapshotTable.read(q).get(0).snapshot(), unknown)), false));
            Snapshots.create(q, "b", Instant.now());
            assertThat(SnapshotTable.read(q).get(0).unknownExtra()).containsExactly(unknown);
        }
        checkClean(img);
        assertThat(QemuTools.qemuImg("snapshot", "-l", img).ok().out()).contains("1         a", "2         b");
        fill(img, 0, 4096, 0x22);
        QemuTools.qemuImg("snapshot", "-a", "a", img).ok();
        qemuReads(img, "read -P 0x21 0 4k");
    }

    @Test
    void damagedSnapshotL1IsRefusedButTheSnapshotCanBeDeleted() throws Exception {
        Path img = image("1.1", 65536, 16);
        fill(img, 0, 4096, 0x21);
        create(img, "bad");
        long table;
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.seek(64);
            table = f.readLong();
            f.seek(table);
            f.writeLong(0x12345); // the entry's L1 table offset: not cluster aligned
        }
        byte[] before = Files.readAllBytes(img);
        assertThatThrownBy(() -> create(img, "next")).isInstanceOf(BlockException.class)
                .hasMessageContaining("Snapshot 'bad' L1 table offset invalid");
        assertThatThrownBy(() -> apply(img, "bad")).isInstanceOf(BlockException.class)
                .hasMessageContaining("L1 table offset invalid");
        assertThat(Files.readAllBytes(img)).isEqualTo(before);
        delete(img, "bad"); // counted from scratch without it: its clusters are simply free
        checkClean(img);
        qemuReads(img, "read -P 0x21 0 4k");
    }

    @Test
    void aReadOnlyImageCanShowASnapshotAsQemuImgConvertLDoes() throws Exception {
        Path img = image("1.1", 65536, 16), theirs = dir.resolve("theirs.raw");
        fill(img, 0, 1 << 20, 0x31);
        create(img, "old");
        fill(img, 512 << 10, 1 << 20, 0x32);
        try (BlockNode n = BlockImages.open(img, OpenOptions.readWrite())) {
            n.resize(SIZE * 2L); // the view keeps the image's size; the snapshot's L1 ends before it
            Qcow2Image q = (Qcow2Image) n;
            assertThatThrownBy(() -> Snapshots.view(q, Snapshots.list(q).get(0))).isInstanceOf(BlockException.class)
                    .hasMessageContaining("read-only");
        }
        QemuTools.qemuImg("convert", "-l", "old", "-O", "raw", img, theirs).ok();
        try (BlockNode n = BlockImages.open(img, OpenOptions.readOnlyOptions())) {
            Qcow2Image q = (Qcow2Image) n;
            Snapshots.view(q, Snapshots.list(q).get(0));
            assertThat(n.size()).isEqualTo(SIZE * 2L);
            assertThat(n.read(0, (int) n.size())).isEqualTo(Files.readAllBytes(theirs));
        }
        checkClean(img);
    }

    @Test
    void anL2EntryPastTheEndOfTheFileIsRefusedAndNothingIsWritten() throws Exception {
        Path img = image("1.1", 65536, 16);
        fill(img, 0, 4096, 0x21);
        long l2;
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.seek(40);
            f.seek(f.readLong()); // the L1 table
            l2 = f.readLong() & 0x00fffffffffffe00L;
            f.seek(l2 + 8); // guest cluster 1: a data cluster far past the end of the file
            f.writeLong((1L << 50) | (1L << 63));
        }
        byte[] before = Files.readAllBytes(img);
        assertThatThrownBy(() -> create(img, "x")).isInstanceOf(BlockException.class)
                .hasMessageContaining("data cluster at 0x4000000000000 is past the end of the file");
        assertThat(Files.readAllBytes(img)).isEqualTo(before);
    }
}
