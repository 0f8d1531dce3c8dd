package org.jqmp.block.img;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jqmp.block.QemuTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code commit -b} into an image deeper in the chain, and {@code compare -s}, each run by jqmp and by qemu-img on
 * twin files: same exit code, same words, same resulting images.
 */
class CommitBaseCompareStrictTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    @BeforeEach
    void tools() {
        QemuTools.require("qemu-img", "qemu-io");
    }

    private PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    /** base (1 MiB of 0x01) <- mid (data, zero cluster) <- top (2 MiB: data, data past mid's end), in {@code d}. */
    private Path chain(Path d) throws IOException {
        Files.createDirectories(d);
        Path base = d.resolve("base.qcow2"), mid = d.resolve("mid.qcow2"), top = d.resolve("top.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", base, "1M").ok();
        QemuTools.qemuIo(base, "write -P 1 0 1M").ok();
        QemuTools.qemuImg("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", mid).ok();
        QemuTools.qemuIo(mid, "write -P 2 64k 64k", "write -z 256k 64k").ok();
        QemuTools.qemuImg("create", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", top, "2M").ok();
        QemuTools.qemuIo(top, "write -P 3 128k 64k", "write -P 4 1536k 64k").ok();
        return top;
    }

    private int jqmpCommit(Path top, String base) {
        return CommitCommand.run(new CommitCommand.Options(top.toString(), null, true, false, false, base), print(out),
                print(err));
    }

    @Test
    void commitIntoTheBottomOfTheChainMatchesQemuImg() throws IOException {
        Path ours = chain(dir.resolve("ours")), theirs = chain(dir.resolve("theirs"));
        Path expected = dir.resolve("expected.raw");
        QemuTools.qemuImg("convert", "-O", "raw", ours, expected).ok();
        assertThat(QemuTools.qemuImg("commit", "-b", "base.qcow2", theirs).ok().out()).isEqualTo("Image committed.\n");
        assertThat(jqmpCommit(ours, "base.qcow2")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("Image committed.\n");
        for (String name : new String[] {"base.qcow2", "mid.qcow2", "top.qcow2"}) {
            Path a = ours.resolveSibling(name), b = theirs.resolveSibling(name);
            assertThat(map(a)).as(name).isEqualTo(map(b));
            QemuTools.qemuImg("compare", "-s", a, b).ok();
            QemuTools.qemuImg("check", a).ok();
        }
        QemuTools.qemuImg("compare", "-f", "qcow2", "-F", "raw", ours.resolveSibling("base.qcow2"), expected).ok();
    }

    /** qemu-img map without host offsets (the two allocate clusters in their own order). */
    private static String map(Path img) {
        return QemuTools.qemuImg("map", "--output=json", img).ok().out().replaceAll(", \"offset\": \\d+", "");
    }

    @Test
    void baseIsFoundAsQemuImgFindsIt() throws IOException {
        Path top = chain(dir.resolve("x/y/c")); // deeper than the working directory, so that ../ paths differ
        Path cwdRelative = Path.of("").toAbsolutePath().relativize(top.resolveSibling("base.qcow2"));
        for (String base : new String[] {"nope.qcow2", "top.qcow2", cwdRelative.toString()}) {
            var q = QemuTools.qemuImg("commit", "-b", base, top);
            err.reset();
            assertThat(jqmpCommit(top, base)).as(base).isEqualTo(q.exitCode()).isOne();
            assertThat(err.toString()).isEqualTo(q.err().replace("qemu-img:", "jqmp img:"));
        }
        assertThat(jqmpCommit(top, top.resolveSibling("base.qcow2").toString())).isZero(); // absolute
        assertThat(jqmpCommit(top, "mid.qcow2")).isZero(); // the immediate backing file
    }

    private int jqmpCompare(Path a, Path b, String formatA, String formatB) {
        out.reset();
        return CompareCommand.run(new CompareCommand.Options(a.toString(), formatA, b.toString(), formatB, true, false),
                print(out), print(err));
    }

    private void sameAsQemuImg(Path a, Path b, String formatA, String formatB) {
        var q = QemuTools.qemuImg("compare", "-s", "-f", formatA, "-F", formatB, a, b);
        assertThat(jqmpCompare(a, b, formatA, formatB)).as(a + " " + b + ": " + q.out()).isEqualTo(q.exitCode());
        assertThat(out.toString()).isEqualTo(q.out());
    }

    @Test
    void strictCompareCountsAllocationAsQemuImgDoes() throws IOException {
        Path k1 = dir.resolve("k1.qcow2"), k2 = dir.resolve("k2.qcow2"), k3 = dir.resolve("k3.qcow2");
        Path k4 = dir.resolve("k4.qcow2"), k5 = dir.resolve("k5.qcow2"), over = dir.resolve("over.qcow2");
        Path raw = dir.resolve("k1.raw"), twin = dir.resolve("twin.qcow2");
        for (Path p : new Path[] {k1, k2, k3, k5}) {
            QemuTools.qemuImg("create", "-f", "qcow2", p, "1M").ok();
            QemuTools.qemuIo(p, "write -P 1 64k 64k").ok();
        }
        QemuTools.qemuIo(k2, "write -P 0 256k 64k").ok(); // zeroes as data where k1 has nothing
        QemuTools.qemuIo(k3, "write -z 512k 64k").ok(); // a zero cluster
        QemuTools.qemuIo(k5, "write -P 2 70k 1k").ok(); // a content difference, same allocation
        QemuTools.qemuImg("create", "-f", "qcow2", k4, "2M").ok();
        QemuTools.qemuImg("convert", "-O", "raw", k1, raw).ok();
        QemuTools.qemuImg("create", "-f", "qcow2", "-b", "k1.qcow2", "-F", "qcow2", over).ok();
        Files.copy(k1, twin, StandardCopyOption.REPLACE_EXISTING);
        sameAsQemuImg(k1, twin, "qcow2", "qcow2");
        sameAsQemuImg(k1, k2, "qcow2", "qcow2");
        sameAsQemuImg(k1, k3, "qcow2", "qcow2");
        sameAsQemuImg(k1, k4, "qcow2", "qcow2");
        sameAsQemuImg(k1, k5, "qcow2", "qcow2");
        sameAsQemuImg(raw, k1, "raw", "qcow2");
        sameAsQemuImg(raw, raw, "raw", "raw");
        sameAsQemuImg(over, k1, "qcow2", "qcow2");
        sameAsQemuImg(k1, over, "qcow2", "qcow2");
        assertThat(jqmpCompare(k1, k2, "qcow2", "qcow2")).isOne();
        assertThat(out.toString()).isEqualTo("Strict mode: Offset 131072 block status mismatch!\n");
    }
}
