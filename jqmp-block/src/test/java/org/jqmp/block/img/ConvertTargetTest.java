package org.jqmp.block.img;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqmp.block.QemuTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * convert's target options ({@code -B}, {@code -n}, {@code -S}, {@code --target-is-zero}): jqmp's target must hold
 * the same content as qemu-img's ({@code qemu-img compare}) and the same allocation ({@code qemu-img map}, host
 * offsets aside, since the two allocate clusters in their own order).
 */
class ConvertTargetTest {
    private static final Pattern MAP_ENTRY = Pattern.compile("\"start\": (\\d+), \"length\": (\\d+), \"depth\": (\\d+), "
            + "\"present\": (\\w+), \"zero\": (\\w+), \"data\": (\\w+)");

    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void tools() {
        QemuTools.require("qemu-img", "qemu-io");
    }

    /** base (2 MiB of 0x01) under top (a data cluster, a zero cluster, zeroes written as data), 4 MiB. */
    private Path chain() {
        Path base = dir.resolve("base.qcow2"), top = dir.resolve("top.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", base, "4M").ok();
        QemuTools.qemuIo(base, "write -P 1 0 2M").ok();
        QemuTools.qemuImg("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", top).ok();
        QemuTools.qemuIo(top, "write -P 2 1M 64k", "write -z 3M 64k", "write -P 0 128k 64k", "write -P 3 4000k 5k").ok();
        return top;
    }

    /** A raw file with zero runs of several lengths between data. */
    private Path sparseRaw() throws Exception {
        byte[] b = new byte[1 << 20];
        fill(b, 0, 4096, 1);
        fill(b, 6144, 512, 2);
        fill(b, 16384, 4096, 3);
        fill(b, 131072, 65536, 4);
        fill(b, 256608, 100, 5);
        fill(b, 600000, 70000, 6);
        Path raw = dir.resolve("sparse.img");
        Files.write(raw, b);
        return raw;
    }

    private static void fill(byte[] b, int off, int len, int v) {
        java.util.Arrays.fill(b, off, off + len, (byte) v);
    }

    private int jqmp(Path src, String srcFmt, Path dst, String fmt, ConvertCommand.Target t, Map<String, String> opts) {
        var o = new ConvertCommand.Options(src.toString(), srcFmt, dst.toString(), fmt, false, false, opts, true,
                false, null, t);
        return ConvertCommand.run(o, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String jqmpError() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** qemu-img map's entries without host offsets, neighbours of the same kind merged. */
    private static List<String> allocation(Path img, String fmt) {
        String json = QemuTools.qemuImg("map", "-f", fmt, "--output=json", img).ok().out();
        List<String> out = new ArrayList<>();
        long start = 0, end = 0;
        String kind = null;
        for (Matcher m = MAP_ENTRY.matcher(json); m.find(); ) {
            String k = m.group(3) + "/" + m.group(4) + "/" + m.group(5) + "/" + m.group(6);
            long s = Long.parseLong(m.group(1)), len = Long.parseLong(m.group(2));
            if (k.equals(kind) && s == end) {
                end += len;
                continue;
            }
            if (kind != null) {
                out.add(start + "+" + (end - start) + ":" + kind);
            }
            kind = k;
            start = s;
            end = s + len;
        }
        out.add(start + "+" + (end - start) + ":" + kind);
        return out;
    }

    private static void sameContent(Path a, Path b) {
        var r = QemuTools.qemuImg("compare", a, b);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    }

    @Test
    void backingFileTargetLeavesWhatTheSourceLeavesToItsBacking() {
        Path top = chain(), ours = dir.resolve("ours.qcow2"), theirs = dir.resolve("theirs.qcow2");
        QemuTools.qemuImg("convert", "-O", "qcow2", "-B", "base.qcow2", "-F", "qcow2", top, theirs).ok();
        assertThat(jqmp(top, null, ours, "qcow2", new ConvertCommand.Target("base.qcow2", "qcow2", false, -1, false),
                Map.of())).as(jqmpError()).isZero();
        assertThat(allocation(ours, "qcow2")).isEqualTo(allocation(theirs, "qcow2"));
        sameContent(ours, top);
        assertThat(QemuTools.qemuImg("info", ours).ok().out()).contains("backing file: base.qcow2",
                "backing file format: qcow2");
        QemuTools.qemuImg("check", ours).ok();
    }

    @Test
    void compressedBackingFileTargetLeavesTheSameRanges() {
        Path top = chain(), ours = dir.resolve("oc.qcow2"), theirs = dir.resolve("tc.qcow2");
        QemuTools.qemuImg("convert", "-c", "-O", "qcow2", "-B", "base.qcow2", "-F", "qcow2", top, theirs).ok();
        var o = new ConvertCommand.Options(top.toString(), null, ours.toString(), "qcow2", true, false, Map.of(), true,
                false, null, new ConvertCommand.Target("base.qcow2", "qcow2", false, -1, false));
        assertThat(ConvertCommand.run(o, new PrintStream(new ByteArrayOutputStream()), System.err)).isZero();
        assertThat(allocation(ours, "qcow2")).isEqualTo(allocation(theirs, "qcow2"));
        sameContent(ours, top);
        QemuTools.qemuImg("check", ours).ok();
    }

    @Test
    void backingFileTargetFromAFlatSourceWritesZeroClusters() throws Exception {
        Path top = chain(), flat = dir.resolve("flat.img"), ours = dir.resolve("o.qcow2"), theirs = dir.resolve("t.qcow2");
        QemuTools.qemuImg("convert", "-O", "raw", top, flat).ok();
        QemuTools.qemuImg("convert", "-f", "raw", "-O", "qcow2", "-B", "base.qcow2", "-F", "qcow2", flat, theirs).ok();
        assertThat(jqmp(flat, "raw", ours, "qcow2", new ConvertCommand.Target("base.qcow2", "qcow2", false, -1, false),
                Map.of())).as(jqmpError()).isZero();
        assertThat(allocation(ours, "qcow2")).isEqualTo(allocation(theirs, "qcow2"));
        sameContent(ours, flat);
    }

    @Test
    void backingFileErrorsAreQemuImgs() {
        Path top = chain();
        assertThat(jqmp(top, null, dir.resolve("x.img"), "raw", new ConvertCommand.Target("base.qcow2", null, false, -1,
                false), Map.of())).isOne();
        assertThat(jqmpError()).isEqualTo("jqmp img: Backing file not supported for file format 'raw'\n");
        err.reset();
        assertThat(jqmp(top, null, dir.resolve("y.qcow2"), "qcow2", new ConvertCommand.Target("base.qcow2", null, false,
                -1, false), Map.of())).isOne();
        assertThat(jqmpError()).isEqualTo("jqmp img: Use of backing file requires explicit backing format\n");
    }

    @ParameterizedTest(name = "-O {0} -S {1}")
    @CsvSource({"qcow2,-1", "qcow2,0", "qcow2,65536", "qcow2,4096", "raw,-1", "raw,0", "raw,65536", "raw,16384",
        "raw,4096"})
    void sparseSizeDecidesWhichZeroesAreWritten(String fmt, long sparse) throws Exception {
        Path raw = sparseRaw(), ours = dir.resolve("o." + fmt), theirs = dir.resolve("t." + fmt);
        List<String> args = new ArrayList<>(List.of("convert", "-f", "raw", "-O", fmt));
        if (sparse >= 0) {
            args.addAll(List.of("-S", Long.toString(sparse)));
        }
        QemuTools.qemuImg(concat(args, raw.toString(), theirs.toString())).ok();
        assertThat(jqmp(raw, "raw", ours, fmt, new ConvertCommand.Target(null, null, false, sparse, false), Map.of()))
                .as(jqmpError()).isZero();
        assertThat(allocation(ours, fmt)).isEqualTo(allocation(theirs, fmt));
        sameContent(ours, theirs);
    }

    private static Object[] concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray();
    }

    @ParameterizedTest(name = "existing {0}, target-is-zero={1}")
    @CsvSource({"1.1,false", "1.1,true", "0.10,false"})
    void existingTargetGetsTheSourcesZeroesUnlessToldItIsZero(String compat, boolean targetIsZero) {
        Path src = dir.resolve("src.qcow2"), ours = dir.resolve("o.qcow2"), theirs = dir.resolve("t.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", src, "1M").ok();
        QemuTools.qemuIo(src, "write -P 1 0 64k", "write -z 128k 64k").ok();
        for (Path t : List.of(ours, theirs)) {
            QemuTools.qemuImg("create", "-f", "qcow2", "-o", "compat=" + compat, t, "2M").ok();
            QemuTools.qemuIo(t, "write -P 7 0 2M").ok();
        }
        QemuTools.qemuImg(targetIsZero ? new Object[] {"convert", "-n", "--target-is-zero", "-O", "qcow2", src, theirs}
                : new Object[] {"convert", "-n", "-O", "qcow2", src, theirs}).ok();
        assertThat(jqmp(src, null, ours, "qcow2", new ConvertCommand.Target(null, null, true, -1, targetIsZero),
                Map.of())).as(jqmpError()).isZero();
        assertThat(allocation(ours, "qcow2")).isEqualTo(allocation(theirs, "qcow2"));
        sameContent(ours, theirs);
        QemuTools.qemuImg("check", ours).ok();
    }

    @Test
    void existingTargetErrors() {
        Path src = dir.resolve("src.qcow2"), small = dir.resolve("small.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", src, "1M").ok();
        QemuTools.qemuImg("create", "-f", "qcow2", small, "512k").ok();
        var skip = new ConvertCommand.Target(null, null, true, -1, false);
        assertThat(jqmp(src, null, small, "qcow2", skip, Map.of())).isOne();
        assertThat(jqmpError()).isEqualTo("jqmp img: output file is smaller than input file\n");
        err.reset();
        Path missing = dir.resolve("missing.qcow2");
        assertThat(jqmp(src, null, missing, "qcow2", skip, Map.of())).isOne();
        assertThat(jqmpError()).isEqualTo("jqmp img: Could not open '" + missing + "': Could not open '" + missing
                + "': No such file or directory\n");
    }
}
