package org.jqmp.cli.img;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jqmp.cli.img.RealQemuImg.jqmpImg;
import static org.jqmp.cli.img.RealQemuImg.qemuImg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad command lines: jqmp img answers each with qemu-img 7.2's message (its own name) and exit code. */
class ImgUsageTest {
    @TempDir
    Path dir;

    private String a;
    private String raw;

    @BeforeEach
    void images() {
        RealQemuImg.assumeInstalled();
        a = dir.resolve("a.qcow2").toString();
        raw = dir.resolve("r.raw").toString();
        qemuImg(dir, "create", "-q", "-f", "qcow2", a, "1M").ok();
        qemuImg(dir, "create", "-q", "-f", "raw", raw, "1M").ok();
    }

    private List<String[]> cases() {
        String x = dir.resolve("x.qcow2").toString(), missing = dir.resolve("missing.qcow2").toString();
        List<String[]> c = new ArrayList<>();
        c.add(new String[] {});
        c.add(new String[] {"foo"});
        c.add(new String[] {"info"});
        c.add(new String[] {"info", a, a});
        c.add(new String[] {"info", "-z", a});
        c.add(new String[] {"info", "--foo", a});
        c.add(new String[] {"info", "-f"});
        c.add(new String[] {"info", "--format"});
        c.add(new String[] {"info", "--output=xml", a});
        c.add(new String[] {"info", "--output", a});
        c.add(new String[] {"info", "-qU", a});
        c.add(new String[] {"info", "-Uq", a});
        c.add(new String[] {"info", missing});
        c.add(new String[] {"create"});
        c.add(new String[] {"create", "-f", "qcow2", x});
        c.add(new String[] {"create", x, "1M", "extra"});
        c.add(new String[] {"create", "-f", "qcow2", x, "12Q"});
        c.add(new String[] {"create", "-f", "qcow2", x, "8E"});
        c.add(new String[] {"create", "-f", "qcow2", x, "1.5b"});
        c.add(new String[] {"create", "-f", "qcow2", x, "0x1.8k"});
        c.add(new String[] {"create", "-f", "foo", x, "1M"});
        c.add(new String[] {"create", "-f", "qcow2", x, "-1"});
        c.add(new String[] {"check"});
        c.add(new String[] {"check", "-r", "foo", a});
        c.add(new String[] {"check", "--output=x", a});
        c.add(new String[] {"check", "-T", "bogus", a});
        c.add(new String[] {"map"});
        c.add(new String[] {"map", "--output=xml", a});
        c.add(new String[] {"map", "-s", "5x", a});
        c.add(new String[] {"map", "--max-length", "9E", a});
        c.add(new String[] {"compare", a});
        c.add(new String[] {"compare", "-x", a, a});
        c.add(new String[] {"compare", a, missing});
        c.add(new String[] {"compare", "-T", "bogus", a, a});
        c.add(new String[] {"convert"});
        c.add(new String[] {"convert", a});
        c.add(new String[] {"convert", "-S", "1000", a, x});
        c.add(new String[] {"convert", "-m", "17", a, x});
        c.add(new String[] {"convert", "-c", "-C", a, x});
        c.add(new String[] {"convert", "-n", "-o", "cluster_size=4k", a, x});
        c.add(new String[] {"convert", "-O", "foo", a, x});
        c.add(new String[] {"resize"});
        c.add(new String[] {"resize", a});
        c.add(new String[] {"resize", a, "5x"});
        c.add(new String[] {"resize", a, "1M", "2M"});
        c.add(new String[] {"resize", "--preallocation=bad", a, "4M"});
        c.add(new String[] {"resize", a, "-3M"});
        c.add(new String[] {"resize", a, "-512k"});
        c.add(new String[] {"rebase", a});
        c.add(new String[] {"rebase", "-b", "x", a, a});
        c.add(new String[] {"commit"});
        c.add(new String[] {"commit", "-r", "x", a});
        c.add(new String[] {"commit", a});
        c.add(new String[] {"commit", "-b", "nothere", a});
        c.add(new String[] {"snapshot", a, "-l", "-a", "x"});
        c.add(new String[] {"snapshot", "-l"});
        c.add(new String[] {"snapshot", "-c"});
        c.add(new String[] {"snapshot", "-c", "x", "-d", "y", a});
        c.add(new String[] {"snapshot", "-a", "nope", a});
        c.add(new String[] {"snapshot", "-d", "nope", a});
        c.add(new String[] {"snapshot", "-U", "-c", "x", a});
        c.add(new String[] {"snapshot", "-c", "x", missing});
        c.add(new String[] {"convert", "-l", "snapshot.foo=1", a, x});
        c.add(new String[] {"convert", "-l", "nope", a, x});
        c.add(new String[] {"convert", "-n", a, missing});
        c.add(new String[] {"convert", "-O", "qcow2", "-B", a, a, x});
        c.add(new String[] {"convert", "-O", "raw", "-F", "qcow2", a, x});
        c.add(new String[] {"commit", "-b", a, a});
        c.add(new String[] {"compare", "-s", a, raw});
        return c;
    }

    @Test
    void everyBadCommandLineGetsQemuImgsMessageAndExitCode() {
        List<String> mismatches = new ArrayList<>();
        for (String[] args : cases()) {
            var theirs = qemuImg(dir, (Object[]) args);
            var ours = jqmpImg((Object[]) args);
            if (!ours.equals(theirs)) {
                mismatches.add(String.join(" ", args) + "\n  qemu-img: " + theirs + "\n  jqmp img: " + ours);
            }
            assertThat(theirs.exitCode()).as(String.join(" ", args)).isNotZero();
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void optionsMayBeAbbreviatedClusteredAttachedAndAfterFileNames() {
        String[][] spellings = {{"info", "--output=json", a}, {"info", a, "--output", "json"}, {"info", "--out=json", a},
            {"info", "-Uf", "qcow2", "--output=json", a}, {"info", "-fqcow2", "-U", "--output=json", a},
            {"info", "--output=human", "--output=json", a}, {"info", "--force-share", "--format=qcow2", "--output=json", a},
            {"info", "--output=json", "--", a}};
        var expected = qemuImg(dir, "info", "--output=json", a).ok();
        for (String[] s : spellings) {
            assertThat(qemuImg(dir, (Object[]) s)).as(String.join(" ", s)).isEqualTo(expected);
            assertThat(jqmpImg((Object[]) s)).as(String.join(" ", s)).isEqualTo(expected);
        }
    }

    @Test
    void helpAndVersionExitZero() {
        var help = jqmpImg("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("convert", "rebase", "snapshot");
        var info = jqmpImg("info", "--help");
        assertThat(info.exitCode()).isZero();
        assertThat(info.out()).contains("--backing-chain", "--output");
        assertThat(jqmpImg("-V").out()).startsWith("jqmp img ");
    }

    @Test
    void optionsJqmpCannotHonourAreRefusedClearly() {
        String x = dir.resolve("x.qcow2").toString();
        String[][] refused = {{"convert", "-c", "-n", "-O", "qcow2", a, a},
            {"convert", "--salvage", a, x}, {"info", "--image-opts", a}, {"info", "--object", "secret,id=s0,data=x", a},
            {"resize", "--preallocation=full", raw, "2M"}};
        for (String[] args : refused) {
            var r = jqmpImg((Object[]) args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("jqmp img: ").contains("not supported");
        }
    }
}
