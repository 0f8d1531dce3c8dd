package org.jqmp.cli.img;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jqmp.cli.img.RealQemuImg.jqmpImg;
import static org.jqmp.cli.img.RealQemuImg.qemuImg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each subcommand through {@code jqmp img} (Main.execute) beside the real qemu-img. Commands that only read run
 * both tools on the same files; commands that write run each tool in its own directory on identical copies and
 * compare what they print and what the images then hold.
 */
class ImgSubcommandsTest {
    @TempDir
    Path dir;

    private Path q;
    private Path j;

    @BeforeEach
    void tools() throws IOException {
        RealQemuImg.assumeInstalled();
        q = Files.createDirectories(dir.resolve("q"));
        j = Files.createDirectories(dir.resolve("j"));
    }

    private static void qemuIo(Path image, String... commands) {
        var cmd = new java.util.ArrayList<Object>(java.util.List.of("qemu-io", "-f", "qcow2"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(image);
        try {
            Process p = new ProcessBuilder(cmd.stream().map(Object::toString).toList()).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).as("qemu-io " + cmd).isZero();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A chain: base.qcow2 with data and zeroes, top.qcow2 over it, a raw image and a leaky qcow2. */
    private void images(Path d) throws IOException {
        qemuImg(d, "create", "-q", "-f", "qcow2", "base.qcow2", "4M").ok();
        qemuImg(d, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "top.qcow2", "6M").ok();
        byte[] raw = new byte[2 << 20];
        new Random(7).nextBytes(raw);
        java.util.Arrays.fill(raw, 1 << 20, (1 << 20) + 65536, (byte) 0);
        Files.write(d.resolve("r.raw"), raw);
    }

    private void io(Path d) {
        qemuIo(d.resolve("base.qcow2"), "write -P 1 0 1M", "write -z 2M 64k");
        qemuIo(d.resolve("top.qcow2"), "write -P 2 512k 128k", "write -z 3M 64k", "discard 64k 64k");
    }

    private void same(Path d, Object... args) {
        Object[] absolute = absolute(d, args);
        var theirs = qemuImg(d, absolute);
        var ours = jqmpImg(absolute);
        assertThat(ours).as(String.join(" ", java.util.Arrays.stream(args).map(Object::toString).toList()))
                .isEqualTo(theirs);
    }

    /** Arguments naming files of d (ending in .qcow2/.raw) made absolute: jqmp runs in the build's directory. */
    private static Object[] absolute(Path d, Object... args) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            String a = args[i].toString();
            out[i] = (a.endsWith(".qcow2") || a.endsWith(".raw")) && !a.startsWith("/") ? d.resolve(a).toString() : a;
        }
        return out;
    }

    @Test
    void infoInEveryOutputForm() throws IOException {
        images(q);
        io(q);
        for (String img : new String[] {"top.qcow2", "base.qcow2", "r.raw"}) {
            same(q, "info", img);
            same(q, "info", "--output=json", img);
            same(q, "info", "--backing-chain", img);
            same(q, "info", "--backing-chain", "--output", "json", "-U", img);
        }
        same(q, "info", "-f", "raw", "top.qcow2");
        same(q, "info", "-f", "qcow2", "r.raw");
    }

    @Test
    void checkCleanLeakyQuietRepaired() throws IOException {
        images(q);
        io(q);
        same(q, "check", "top.qcow2");
        same(q, "check", "--output=json", "base.qcow2");
        same(q, "check", "-q", "base.qcow2");
        same(q, "check", "r.raw");
        Path leaky = q.resolve("leaky.qcow2");
        qemuImg(q, "create", "-q", "-f", "qcow2", leaky, "10M").ok();
        qemuIo(leaky, "write 0 64k");
        try (var f = new java.io.RandomAccessFile(leaky.toFile(), "rw")) {
            f.seek(0x20000 + 6); // the L1 table's refcount: 1 -> 2, a leaked reference
            f.writeShort(2);
        }
        same(q, "check", leaky);
        same(q, "check", "--output=json", leaky);
        Files.copy(leaky, q.resolve("leaky2.qcow2"));
        var theirs = qemuImg(q, "check", "-r", "leaks", q.resolve("leaky2.qcow2"));
        var ours = jqmpImg("check", "-r", "leaks", leaky);
        assertThat(ours).isEqualTo(theirs.normalized("leaky2.qcow2", "leaky.qcow2"));
        same(q, "check", leaky);
    }

    @Test
    void mapWholeAndWindowed() throws IOException {
        images(q);
        io(q);
        same(q, "map", "top.qcow2");
        same(q, "map", "--output=json", "top.qcow2");
        same(q, "map", "--output=json", "--start-offset=512k", "--max-length", "2M", "top.qcow2");
        same(q, "map", "--output=json", "-s", "64k", "-l", "1", "top.qcow2");
        same(q, "map", "--output=json", "-s", "100M", "top.qcow2");
        same(q, "map", "--output=json", "base.qcow2");
    }

    @Test
    void compareAndSnapshotList() throws IOException {
        images(q);
        io(q);
        qemuImg(q, "convert", "-O", "raw", "top.qcow2", "top.raw").ok();
        same(q, "compare", "top.qcow2", "top.raw");
        same(q, "compare", "-q", "top.qcow2", "top.raw");
        same(q, "compare", "-f", "qcow2", "-F", "raw", "top.qcow2", "top.raw");
        same(q, "compare", "top.qcow2", "base.qcow2");
        same(q, "compare", "-s", "top.qcow2", "base.qcow2");
        same(q, "compare", "r.raw", "base.qcow2");
        same(q, "snapshot", "-l", "base.qcow2");
        qemuImg(q, "snapshot", "-c", "first", "base.qcow2").ok();
        qemuImg(q, "snapshot", "-c", "second-with-a-long-name", "base.qcow2").ok();
        same(q, "snapshot", "-l", "base.qcow2");
        same(q, "snapshot", "-U", "-l", "base.qcow2");
        same(q, "snapshot", "base.qcow2");
    }

    /** Runs the writing command in q with qemu-img and in j with jqmp; outputs agree once paths are swapped. */
    private void sameEffect(Object... args) {
        var theirs = qemuImg(q, absolute(q, args));
        var ours = jqmpImg(absolute(j, args)).normalized(j.toString(), q.toString());
        assertThat(ours).as(java.util.Arrays.toString(args)).isEqualTo(theirs);
    }

    /** What qemu-img says about an image of each directory (info and map JSON) agrees. */
    private void sameImage(String name) {
        sameImage(name, true);
    }

    /**
     * @param hostOffsets whether qcow2 data must sit at the same host offsets too (a copy allocates its clusters
     *                    in its own order, so after convert only the guest view is compared)
     */
    private void sameImage(String name, boolean hostOffsets) {
        for (String[] how : new String[][] {{"info", "--output=json"}, {"map", "--output=json"}}) {
            var a = qemuImg(q, how[0], how[1], q.resolve(name));
            var b = qemuImg(j, how[0], how[1], j.resolve(name)).normalized(j.toString(), q.toString());
            assertThat(comparable(b, hostOffsets)).as(how[0] + " " + name).isEqualTo(comparable(a, hostOffsets));
        }
        if (name.endsWith(".qcow2")) {
            qemuImg(j, "check", j.resolve(name)).ok();
        }
    }

    /** Both directories' images read the same (qemu-img compare) and pass qemu-img check. */
    private void sameContent(String name) {
        assertThat(qemuImg(q, "compare", q.resolve(name), j.resolve(name)).ok().out())
                .isEqualTo("Images are identical.\n");
        qemuImg(j, "check", j.resolve(name)).ok();
    }

    /** The bytes on disk depend on how each tool allocates; everything else must agree. */
    private static String comparable(RealQemuImg.Run r, boolean hostOffsets) {
        String out = r.out().replaceAll("\"actual-size\": \\d+", "\"actual-size\": _");
        if (!hostOffsets) {
            out = out.replaceAll(", \"offset\": \\d+", "");
        }
        return out + r.err() + r.exitCode();
    }

    @Test
    void createWithEveryForm() {
        sameEffect("create", "-f", "qcow2", "plain.qcow2", "1G");
        sameImage("plain.qcow2");
        sameEffect("create", "-f", "qcow2", "-o", "cluster_size=4k", "-o", "lazy_refcounts=on", "opts.qcow2", "10M");
        sameImage("opts.qcow2");
        sameEffect("create", "-f", "qcow2", "-o", "compat=0.10,refcount_bits=8", "bad.qcow2", "1.5M");
        sameEffect("create", "-f", "qcow2", "-o", "compat=0.10", "v2.qcow2", "1.5M");
        sameImage("v2.qcow2");
        sameEffect("create", "-f", "qcow2", "-o", "refcount_bits=8,preallocation=metadata", "meta.qcow2", "3M");
        sameImage("meta.qcow2");
        sameEffect("create", "-f", "qcow2", "-b", "plain.qcow2", "-F", "qcow2", "over.qcow2");
        sameImage("over.qcow2");
        sameEffect("create", "-q", "-u", "-f", "qcow2", "-b", "nowhere.qcow2", "-F", "qcow2", "dangling.qcow2", "64M");
        sameEffect("create", "raw.raw", "0x100000");
        sameImage("raw.raw");
        sameEffect("create", "-f", "raw", "-o", "preallocation=full", "full.raw", "1M");
        sameImage("full.raw");
    }

    @Test
    void convertResizeRebaseCommit() throws IOException {
        for (Path d : new Path[] {q, j}) {
            images(d);
            io(d);
        }
        sameEffect("convert", "-O", "qcow2", "top.qcow2", "conv.qcow2");
        sameImage("conv.qcow2", false);
        sameEffect("convert", "-W", "-m", "4", "-t", "writeback", "-T", "none", "-O", "raw", "r.raw", "copy.raw");
        assertThat(Files.readAllBytes(j.resolve("copy.raw"))).isEqualTo(Files.readAllBytes(q.resolve("copy.raw")));
        sameEffect("convert", "-q", "-c", "-O", "qcow2", "-o", "cluster_size=65536", "r.raw", "small.qcow2");
        same(j, "compare", "r.raw", "small.qcow2");
        var progress = jqmpImg(absolute(j, "convert", "-p", "-O", "qcow2", "r.raw", "p.qcow2"));
        assertThat(progress.exitCode()).isZero();
        assertThat(progress.out()).endsWith("(100.00/100%)\r\n");

        sameEffect("resize", "conv.qcow2", "+1M");
        sameEffect("resize", "--shrink", "conv.qcow2", "-512k");
        sameEffect("resize", "-q", "-f", "raw", "copy.raw", "3M");
        sameImage("conv.qcow2", false);
        sameImage("copy.raw");

        sameEffect("rebase", "-u", "-b", "conv.qcow2", "-F", "qcow2", "top.qcow2");
        sameImage("top.qcow2", false);
        sameEffect("rebase", "-b", "base.qcow2", "-F", "qcow2", "top.qcow2");
        sameImage("top.qcow2");
        // committed zeroes become zero clusters in both (qemu-img's commit job unmaps them); host offsets differ
        sameEffect("commit", "-d", "top.qcow2");
        sameContent("base.qcow2");
        sameImage("base.qcow2", false);
        sameImage("top.qcow2");
        sameEffect("commit", "-b", "base.qcow2", "top.qcow2");
        sameEffect("commit", "top.qcow2");
        sameContent("base.qcow2");
        sameContent("top.qcow2");
        sameImage("base.qcow2", false);
        sameImage("top.qcow2", false);
        sameEffect("rebase", "-u", "top.qcow2");
        sameImage("top.qcow2");
    }

    /** snapshot -l without the DATE column (each tool stamps its own snapshots). */
    private String snapshotsWithoutDates(Path d) {
        return qemuImg(d, "snapshot", "-l", d.resolve("base.qcow2")).ok().out()
                .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d", "DATE");
    }

    @Test
    void internalSnapshots() throws IOException {
        for (Path d : new Path[] {q, j}) {
            images(d);
            io(d);
        }
        sameEffect("snapshot", "-c", "one", "base.qcow2");
        qemuIo(q.resolve("base.qcow2"), "write -P 5 0 64k");
        qemuIo(j.resolve("base.qcow2"), "write -P 5 0 64k");
        sameEffect("snapshot", "-q", "-c", "one", "base.qcow2"); // names may repeat
        sameEffect("snapshot", "-c", "", "base.qcow2");
        sameEffect("snapshot", "-U", "-c", "shared", "base.qcow2");
        sameEffect("snapshot", "-a", "nope", "base.qcow2");
        sameEffect("snapshot", "-d", "nope", "base.qcow2");
        sameEffect("snapshot", "-d", "3", "base.qcow2"); // -d looks at names only
        sameEffect("snapshot", "-a", "1", "base.qcow2"); // -a: ids first
        sameContent("base.qcow2");
        sameEffect("snapshot", "-d", "one", "base.qcow2");
        assertThat(snapshotsWithoutDates(j)).isEqualTo(snapshotsWithoutDates(q)).contains("2         one");
        sameEffect("snapshot", "-a", "one", "base.qcow2");
        sameContent("base.qcow2");
        sameEffect("snapshot", "-d", "one", "base.qcow2");
        sameEffect("snapshot", "-d", "", "base.qcow2");
        same(j, "snapshot", "-l", "base.qcow2");
        assertThat(qemuImg(j, "check", j.resolve("base.qcow2")).ok().out()).contains("No errors were found");
    }

    @Test
    void convertTargets() throws IOException {
        for (Path d : new Path[] {q, j}) {
            images(d);
            io(d);
        }
        sameEffect("convert", "-O", "qcow2", "-B", "base.qcow2", "-F", "qcow2", "top.qcow2", "b.qcow2");
        sameImage("b.qcow2", false);
        sameEffect("convert", "-O", "qcow2", "-B", "base.qcow2", "top.qcow2", "nofmt.qcow2");
        sameEffect("convert", "-O", "raw", "-B", "base.qcow2", "top.qcow2", "x.raw");
        sameEffect("convert", "-O", "qcow2", "-F", "qcow2", "top.qcow2", "f.qcow2");
        sameEffect("convert", "-n", "-f", "raw", "-O", "qcow2", "r.raw", "b.qcow2");
        sameImage("b.qcow2", false);
        sameEffect("convert", "-n", "-O", "qcow2", "top.qcow2", "missing.qcow2");
        sameEffect("convert", "-n", "-O", "qcow2", "top.qcow2", "base.qcow2"); // smaller than the source
        sameEffect("convert", "-S", "0", "-f", "raw", "-O", "qcow2", "r.raw", "full.qcow2");
        sameImage("full.qcow2", false);
        sameEffect("convert", "-S", "64k", "-f", "raw", "-O", "raw", "r.raw", "s.raw");
        sameImage("s.raw");
    }

    @Test
    void convertFromAnInternalSnapshot() throws IOException {
        for (Path d : new Path[] {q, j}) {
            images(d);
            io(d);
            qemuImg(d, "snapshot", "-c", "before", "base.qcow2").ok();
            qemuIo(d.resolve("base.qcow2"), "write -P 9 0 2M");
            qemuImg(d, "snapshot", "-c", "after", "base.qcow2").ok();
            qemuImg(d, "resize", "base.qcow2", "8M").ok();
        }
        sameEffect("convert", "-l", "before", "-O", "raw", "base.qcow2", "l1.raw");
        sameImage("l1.raw");
        sameEffect("convert", "-l", "snapshot.id=2", "-O", "qcow2", "base.qcow2", "l2.qcow2");
        sameContent("l2.qcow2");
        sameEffect("convert", "-l", "snapshot.id=1,snapshot.name=before", "-O", "raw", "base.qcow2", "l3.raw");
        sameImage("l3.raw");
        sameEffect("convert", "-l", "snapshot.id=2,snapshot.name=before", "-O", "raw", "base.qcow2", "l4.raw");
        sameEffect("convert", "-l", "nope", "-O", "raw", "base.qcow2", "l5.raw");
        sameEffect("convert", "-l", "snapshot.foo=1", "-O", "raw", "base.qcow2", "l6.raw");
        sameEffect("convert", "-l", "before", "-f", "raw", "-O", "raw", "r.raw", "l7.raw");
        sameEffect("convert", "-l", "before", "-O", "raw", "base.qcow2", "top.qcow2", "l8.raw");
    }
}
