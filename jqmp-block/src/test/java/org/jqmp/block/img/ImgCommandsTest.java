package org.jqmp.block.img;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.jqmp.block.QemuTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each subcommand side by side with the real qemu-img: same stdout, same exit code. */
class ImgCommandsTest {
    @TempDir
    Path dir;

    record Run(int rc, String out, String err) {
    }

    interface Command {
        int run(PrintStream out, PrintStream err);
    }

    static Run jqmp(Command c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = c.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void tools() {
        QemuTools.require("qemu-img", "qemu-io");
    }

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void createPrintsQemusFormattingLine() {
        QemuTools.qemuImg("create", "-f", "qcow2", p("base.qcow2"), "4M").ok();
        String[][] cases = {{"cluster_size=4096", null}, {"compat=0.10", null}, {"preallocation=metadata", null},
            {"lazy_refcounts=on,refcount_bits=8", null}, {"", "base.qcow2"}};
        for (String[] c : cases) {
            Path theirs = dir.resolve("q.qcow2"), ours = dir.resolve("j.qcow2");
            var q = c[1] == null ? QemuTools.qemuImg("create", "-f", "qcow2", "-o", c[0].isEmpty() ? "cluster_size=65536" : c[0], theirs, "1M")
                    : QemuTools.qemuImg("create", "-f", "qcow2", "-b", c[1], "-F", "qcow2", theirs);
            q.ok();
            Map<String, String> opts = CreateCommand.parseOptions(c[0].isEmpty() ? "cluster_size=65536" : c[0]);
            var j = jqmp((out, err) -> CreateCommand.run(new CreateCommand.Options(ours.toString(), "qcow2",
                    c[1] == null ? 1 << 20 : -1, c[1] == null ? null : c[1], c[1] == null ? null : "qcow2", opts, false,
                    false), out, err));
            assertThat(j.rc()).as(j.err()).isZero();
            assertThat(j.out().replace("j.qcow2", "q.qcow2")).isEqualTo(q.out());
            QemuTools.qemuImg("check", ours).ok();
        }
        var bad = jqmp((out, err) -> CreateCommand.run(new CreateCommand.Options(p("x.qcow2"), "qcow2", 1 << 20, null,
                null, CreateCommand.parseOptions("cluster_size=1000"), false, true), out, err));
        assertThat(bad.rc()).isEqualTo(1);
        assertThat(bad.err()).contains("Cluster size must be a power of two between 512 and 2048k");
    }

    @Test
    void infoHumanAndJsonMatchQemuImg() throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        QemuTools.qemuImg("create", "-f", "qcow2", p("sub/base.qcow2"), "4M").ok();
        QemuTools.qemuImg("create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", p("sub/top.qcow2")).ok();
        QemuTools.qemuImg("create", "-f", "raw", p("r.raw"), "1M").ok();
        for (String img : new String[] {p("sub/top.qcow2"), p("r.raw"), p("sub/base.qcow2")}) {
            for (boolean json : new boolean[] {false, true}) {
                var q = json ? QemuTools.qemuImg("info", "--output=json", img) : QemuTools.qemuImg("info", img);
                var j = jqmp((out, err) -> InfoCommand.run(new InfoCommand.Options(img, null, json, false, false), out, err));
                assertThat(j.out()).isEqualTo(q.out());
            }
        }
        var q = QemuTools.qemuImg("info", "--backing-chain", "--output=json", p("sub/top.qcow2"));
        var j = jqmp((out, err) -> InfoCommand.run(new InfoCommand.Options(p("sub/top.qcow2"), null, true, true, false), out, err));
        assertThat(j.out()).isEqualTo(q.out());
    }

    @Test
    void checkFindsLeaksAndRepairsThemLikeQemuImg() throws IOException {
        Path img = dir.resolve("lk.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", img, "10M").ok();
        QemuTools.qemuIo(img, "write 0 64k", "write 1M 64k").ok();
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(0x20000 + 6); // refcount of cluster 3 (the L1 table): 1 -> 2, a leak
            f.writeShort(2);
        }
        Path copy = dir.resolve("lk2.qcow2");
        Files.copy(img, copy);
        for (boolean json : new boolean[] {false, true}) {
            var q = json ? QemuTools.qemuImg("check", "--output=json", img) : QemuTools.qemuImg("check", img);
            var j = jqmp((out, err) -> CheckCommand.run(new CheckCommand.Options(img.toString(), null, json, null, false), out, err));
            assertThat(j.rc()).isEqualTo(q.exitCode()).isEqualTo(3);
            assertThat(j.out()).isEqualTo(q.out());
            assertThat(j.err()).isEqualTo(q.err());
        }
        var q = QemuTools.qemuImg("check", "-r", "leaks", copy);
        var j = jqmp((out, err) -> CheckCommand.run(new CheckCommand.Options(img.toString(), null, false, "leaks", false), out, err));
        assertThat(j.rc()).isEqualTo(q.exitCode()).isZero();
        assertThat(j.out()).isEqualTo(q.out());
        assertThat(j.err()).isEqualTo(q.err());
        QemuTools.qemuImg("check", img).ok();
        Path raw = dir.resolve("r.raw");
        QemuTools.qemuImg("create", "-f", "raw", raw, "1M").ok();
        assertThat(jqmp((out, err) -> CheckCommand.run(new CheckCommand.Options(raw.toString(), null, false, null, false),
                out, err)).rc()).isEqualTo(QemuTools.qemuImg("check", raw).exitCode()).isEqualTo(63);
    }

    @Test
    void mapJsonMatchesQemuImgOverABackingChain() {
        QemuTools.qemuImg("create", "-f", "qcow2", p("b.qcow2"), "4M").ok();
        QemuTools.qemuIo(dir.resolve("b.qcow2"), "write -P 1 0 1M", "write -z 2M 64k").ok();
        QemuTools.qemuImg("create", "-f", "qcow2", "-b", "b.qcow2", "-F", "qcow2", p("t.qcow2"), "6M").ok();
        QemuTools.qemuIo(dir.resolve("t.qcow2"), "write -P 2 512k 128k", "write -z 3M 64k", "discard 64k 64k").ok();
        var q = QemuTools.qemuImg("map", "--output=json", p("t.qcow2"));
        var j = jqmp((out, err) -> MapCommand.run(new MapCommand.Options(p("t.qcow2"), null, true, false), out, err));
        assertThat(j.out()).isEqualTo(q.out());
        var qh = QemuTools.qemuImg("map", p("t.qcow2"));
        var jh = jqmp((out, err) -> MapCommand.run(new MapCommand.Options(p("t.qcow2"), null, false, false), out, err));
        assertThat(jh.out()).isEqualTo(qh.out());
    }

    @Test
    void convertCompareResizeRoundTrip() throws IOException {
        Path raw = dir.resolve("src.raw");
        byte[] data = new byte[3 << 20];
        Random rnd = new Random(1);
        for (int i = 0; i < data.length; i += 65536) {
            if (rnd.nextBoolean()) {
                for (int k = 0; k < 65536; k++) {
                    data[i + k] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt() : k % 5);
                }
            }
        }
        Files.write(raw, data);
        for (boolean compress : new boolean[] {false, true}) {
            Path q = dir.resolve("c" + compress + ".qcow2");
            var j = jqmp((out, err) -> ConvertCommand.run(new ConvertCommand.Options(raw.toString(), null, q.toString(),
                    "qcow2", compress, true, Map.of("cluster_size", "4096"), false, false), out, err));
            assertThat(j.rc()).as(j.err()).isZero();
            assertThat(j.out()).endsWith("(100.00/100%)\r\n");
            QemuTools.qemuImg("check", q).ok();
            assertThat(QemuTools.qemuImg("compare", raw, q).ok().out()).isEqualTo("Images are identical.\n");
            Path back = dir.resolve("back" + compress + ".raw");
            assertThat(jqmp((out, err) -> ConvertCommand.run(new ConvertCommand.Options(q.toString(), null,
                    back.toString(), "raw", false, false, Map.of(), true, false), out, err)).rc()).isZero();
            assertThat(Files.readAllBytes(back)).isEqualTo(data);
        }
        Path q = dir.resolve("ctrue.qcow2");
        assertThat(Files.size(q)).isLessThan(Files.size(dir.resolve("cfalse.qcow2")));
        var same = jqmp((out, err) -> CompareCommand.run(new CompareCommand.Options(raw.toString(), null, q.toString(),
                null, false, false), out, err));
        assertThat(same.rc()).isZero();
        assertThat(same.out()).isEqualTo(QemuTools.qemuImg("compare", raw, q).out());
        QemuTools.qemuIo(q, "write -P 9 1234567 1").ok();
        var diff = jqmp((out, err) -> CompareCommand.run(new CompareCommand.Options(raw.toString(), null, q.toString(),
                null, false, false), out, err));
        var qd = QemuTools.qemuImg("compare", raw, q);
        assertThat(diff.rc()).isEqualTo(qd.exitCode()).isEqualTo(1);
        assertThat(diff.out()).isEqualTo(qd.out());
        var grown = jqmp((out, err) -> ResizeCommand.run(new ResizeCommand.Options(q.toString(), null, "+1M", false, false), out, err));
        assertThat(grown.out()).isEqualTo("Image resized.\n");
        assertThat(QemuTools.qemuImg("info", "--output=json", q).out()).contains("\"virtual-size\": " + (4 << 20));
        var refused = jqmp((out, err) -> ResizeCommand.run(new ResizeCommand.Options(q.toString(), null, "-1M", false, false), out, err));
        assertThat(refused.rc()).isEqualTo(1);
        assertThat(refused.err()).contains("Use the --shrink option to perform a shrink operation.");
        QemuTools.qemuImg("check", q).ok();
    }

    @Test
    void rebaseKeepsContentAndCommitMovesItDown() throws IOException {
        QemuTools.qemuImg("create", "-f", "qcow2", p("old.qcow2"), "2M").ok();
        QemuTools.qemuIo(dir.resolve("old.qcow2"), "write -P 1 0 2M").ok();
        QemuTools.qemuImg("create", "-f", "qcow2", p("new.qcow2"), "2M").ok();
        QemuTools.qemuIo(dir.resolve("new.qcow2"), "write -P 1 0 1M", "write -P 3 1M 1M").ok();
        QemuTools.qemuImg("create", "-f", "qcow2", "-b", "old.qcow2", "-F", "qcow2", p("top.qcow2")).ok();
        QemuTools.qemuIo(dir.resolve("top.qcow2"), "write -P 2 100k 10k").ok();
        byte[] before = QemuTools.qemuRaw(dir.resolve("top.qcow2"), dir);
        var r = jqmp((out, err) -> RebaseCommand.run(new RebaseCommand.Options(p("top.qcow2"), null, "new.qcow2",
                "qcow2", false, false, false), out, err));
        assertThat(r.rc()).as(r.err()).isZero();
        QemuTools.qemuImg("check", p("top.qcow2")).ok();
        assertThat(QemuTools.qemuImg("info", p("top.qcow2")).out()).contains("backing file: new.qcow2");
        assertThat(QemuTools.qemuRaw(dir.resolve("top.qcow2"), dir)).isEqualTo(before);
        var c = jqmp((out, err) -> CommitCommand.run(new CommitCommand.Options(p("top.qcow2"), null, false, false, false), out, err));
        assertThat(c.rc()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("Image committed.\n");
        QemuTools.qemuImg("check", p("top.qcow2")).ok();
        QemuTools.qemuImg("check", p("new.qcow2")).ok();
        assertThat(QemuTools.qemuRaw(dir.resolve("new.qcow2"), dir)).isEqualTo(before);
        assertThat(QemuTools.qemuImg("map", "--output=json", p("top.qcow2")).out()).doesNotContain("\"depth\": 0, \"present\": true");
        var u = jqmp((out, err) -> RebaseCommand.run(new RebaseCommand.Options(p("top.qcow2"), null, "old.qcow2",
                "qcow2", true, false, false), out, err));
        assertThat(u.rc()).isZero();
        assertThat(QemuTools.qemuImg("info", "--output=json", p("top.qcow2")).out()).contains("\"backing-filename\": \"old.qcow2\"");
    }

    @Test
    void snapshotListMatchesQemuImg() {
        QemuTools.qemuImg("create", "-f", "qcow2", p("s.qcow2"), "1M").ok();
        QemuTools.qemuImg("snapshot", "-c", "first", p("s.qcow2")).ok();
        QemuTools.qemuIo(dir.resolve("s.qcow2"), "write -P 5 0 64k").ok();
        QemuTools.qemuImg("snapshot", "-c", "second-with-a-long-name", p("s.qcow2")).ok();
        var q = QemuTools.qemuImg("snapshot", "-l", p("s.qcow2"));
        var j = jqmp((out, err) -> SnapshotCommand.list(new SnapshotCommand.Options(p("s.qcow2"), null, false), out, err));
        assertThat(j.rc()).isZero();
        assertThat(j.out()).isEqualTo(q.out());
        var check = jqmp((out, err) -> CheckCommand.run(new CheckCommand.Options(p("s.qcow2"), null, false, null, false), out, err));
        assertThat(check.out()).isEqualTo(QemuTools.qemuImg("check", p("s.qcow2")).out());
        var info = jqmp((out, err) -> InfoCommand.run(new InfoCommand.Options(p("s.qcow2"), null, true, false, false), out, err));
        assertThat(info.out()).isEqualTo(QemuTools.qemuImg("info", "--output=json", p("s.qcow2")).out());
    }
}
