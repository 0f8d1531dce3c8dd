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
import org.jqmp.block.OpenOptions;
import org.jqmp.block.QemuTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Images made by the real qemu-img/qemu-io read identically through jqmp (judge: qemu-img convert -O raw). */
class Qcow2ReadInteropTest {
    @TempDir
    Path dir;

    @BeforeEach
    void tools() {
        QemuTools.require("qemu-img", "qemu-io");
    }

    private void assertSameContent(Path img) throws IOException {
        assertThat(QemuTools.jqmpRaw(img)).isEqualTo(QemuTools.qemuRaw(img, dir));
    }

    @ParameterizedTest(name = "compat={0} cluster_size={1} refcount_bits={2}")
    @CsvSource({"0.10,65536,16", "1.1,65536,16", "1.1,512,1", "1.1,4096,8", "1.1,2097152,64", "0.10,512,16",
        "1.1,1024,2", "1.1,8192,32"})
    void optionVariantsWrittenByQemuIo(String compat, int clusterSize, int refcountBits) throws IOException {
        Path img = dir.resolve("v.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", "-o", "compat=" + compat + ",cluster_size=" + clusterSize
                + ",refcount_bits=" + refcountBits, img, "6M").ok();
        QemuTools.qemuIo(img, "write -P 0x11 0 1k", "write -P 0x22 5000 300k", "write -z 100k 70k",
                "write -P 0x33 4M 2M", "discard 4200k 100k", "write -P 0x44 6143k 1k").ok();
        assertSameContent(img);
        assertThat(QemuTools.qemuImg("check", img).exitCode()).isZero();
    }

    @Test
    void randomQemuIoWorkloadReadsIdentically() throws IOException {
        Path img = dir.resolve("r.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", "-o", "cluster_size=4096", img, "8M").ok();
        Random rnd = new Random(42);
        String[] cmds = new String[60];
        for (int i = 0; i < cmds.length; i++) {
            long off = rnd.nextInt(8 << 20 - 1) & ~511;
            long len = Math.min((8 << 20) - off, 512L * (1 + rnd.nextInt(300)));
            cmds[i] = switch (rnd.nextInt(6)) {
                case 0 -> "write -z " + off + " " + len;
                case 1 -> "discard " + off + " " + len;
                default -> "write -P " + (1 + rnd.nextInt(250)) + " " + off + " " + len;
            };
        }
        QemuTools.qemuIo(img, cmds).ok();
        assertSameContent(img);
    }

    @Test
    void compressedImagesReadIdentically() throws IOException {
        Path raw = dir.resolve("src.raw");
        byte[] data = new byte[3 << 20];
        Random rnd = new Random(7);
        for (int i = 0; i < data.length; i += 4096) {
            byte v = (byte) rnd.nextInt(4);
            for (int j = 0; j < 4096; j++) {
                data[i + j] = (byte) (v == 3 ? rnd.nextInt() : v * (j % 7)); // some compressible, some not
            }
        }
        Files.write(raw, data);
        for (String cs : new String[] {"512", "4096", "65536"}) {
            Path img = dir.resolve("c" + cs + ".qcow2");
            QemuTools.qemuImg("convert", "-c", "-O", "qcow2", "-o", "cluster_size=" + cs, raw, img).ok();
            assertThat(QemuTools.jqmpRaw(img)).isEqualTo(data);
        }
    }

    @Test
    void backingChainsOfRawAndQcow2WithRelativeAndAbsoluteNames() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path base = sub.resolve("base.raw");
        QemuTools.qemuImg("create", "-f", "raw", base, "4M").ok();
        QemuTools.qemuIo(base, "write -P 1 0 4M").ok();
        Path mid = sub.resolve("mid.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", mid).ok(); // relative
        QemuTools.qemuIo(mid, "write -P 2 64k 64k", "write -P 3 1000k 3k", "write -z 2M 128k").ok();
        Path top = dir.resolve("top.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", "-o", "cluster_size=4096", "-b", mid.toAbsolutePath(), "-F", "qcow2",
                top, "6M").ok(); // absolute, bigger than its backing
        QemuTools.qemuIo(top, "write -P 4 66k 1k", "write -P 5 5M 4k", "discard 1000k 4k").ok();
        assertSameContent(top);
        try (BlockNode n = BlockImages.open(top, OpenOptions.readOnlyOptions())) {
            assertThat(n.backing()).isPresent();
            assertThat(n.backing().get().backing().get().driverName()).isEqualTo("raw");
        }
    }

    @Test
    void deepChainWithoutBackingFormatIsProbed() throws IOException {
        Path prev = dir.resolve("l0.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", prev, "1M").ok();
        for (int i = 1; i <= 12; i++) {
            Path next = dir.resolve("l" + i + ".qcow2");
            QemuTools.qemuImg("create", "-f", "qcow2", "-b", prev.getFileName(), "-F", "qcow2", next).ok();
            QemuTools.qemuIo(next, "write -P " + i + " " + (i * 4096) + " 4096").ok();
            prev = next;
        }
        // jqmp can still write a header without backing_fmt (old images): the backing file is then probed
        Path l1 = dir.resolve("l1.qcow2");
        Files.delete(l1);
        BlockImages.createQcow2(l1, org.jqmp.block.Qcow2Options.of(1 << 20).withBacking("l0.qcow2", null));
        QemuTools.qemuIo(l1, "write -P 1 4096 4096").ok();
        assertSameContent(prev);
    }

    @Test
    void backingLoopIsRefusedWithAClearError() {
        Path a = dir.resolve("a.qcow2"), b = dir.resolve("b.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", a, "1M").ok();
        QemuTools.qemuImg("create", "-f", "qcow2", "-b", "a.qcow2", "-F", "qcow2", b).ok();
        QemuTools.qemuImg("rebase", "-u", "-b", "b.qcow2", "-F", "qcow2", a).ok();
        assertThatThrownBy(() -> BlockImages.open(b, OpenOptions.readOnlyOptions()))
                .isInstanceOf(BlockException.class).hasMessageContaining("loops");
    }

    @Test
    void damagedHeadersGetClearErrors() throws IOException {
        Path img = dir.resolve("d.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", img, "1M").ok();
        byte[] good = Files.readAllBytes(img);
        assertThatThrownBy(() -> openDamaged(img, good, 36, 0x7fffffff)) // l1_size absurd
                .isInstanceOf(BlockException.class).hasMessageContaining("maxL1Entries");
        assertThatThrownBy(() -> openDamaged(img, good, 44, 0x7fff0000)) // l1 offset past the end
                .isInstanceOf(BlockException.class).hasMessageContaining("L1 table");
        assertThatThrownBy(() -> openDamaged(img, good, 20, 30)) // cluster_bits
                .isInstanceOf(BlockException.class).hasMessageContaining("cluster size");
        assertThatThrownBy(() -> openDamaged(img, good, 56, 0x10000000)) // refcount table clusters
                .isInstanceOf(BlockException.class).hasMessageContaining("maxRefcountTableBytes");
        Files.write(img, java.util.Arrays.copyOf(good, 100)); // truncated
        assertThatThrownBy(() -> BlockImages.open(img, OpenOptions.readOnlyOptions()))
                .isInstanceOf(BlockException.class);
    }

    private void openDamaged(Path img, byte[] good, int at, int value) throws IOException {
        Files.write(img, good);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(at);
            f.writeInt(value);
        }
        BlockImages.open(img, OpenOptions.readOnlyOptions()).close();
    }
}
