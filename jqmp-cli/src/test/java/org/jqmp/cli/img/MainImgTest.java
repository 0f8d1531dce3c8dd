package org.jqmp.cli.img;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jqmp.cli.img.RealQemuImg.jqmpMain;
import static org.jqmp.cli.img.RealQemuImg.qemuImg;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jqmp img} reached through the top-level jqmp command (the outer parser passes every argument on) and
 * through {@link ImgMain}, the entry point the launcher starts for img: both answer as qemu-img does.
 */
class MainImgTest {
    private static RealQemuImg.Run imgMain(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int rc = ImgMain.execute(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        return new RealQemuImg.Run(rc, out.toString(), err.toString());
    }

    @TempDir
    Path dir;

    @Test
    void theTopLevelCommandHandsImgItsArgumentsUntouched() {
        RealQemuImg.assumeInstalled();
        String a = dir.resolve("a.qcow2").toString();
        qemuImg(dir, "create", "-q", "-f", "qcow2", a, "1M").ok();
        String[][] lines = {{"info", a}, {"info", "--output=json", "-U", a}, {"map", "--output", "json", a},
            {"info", "--output=json", "--", a}, {"info"}, {"foo"}, {}, {"-z"}, {"create", a, "-1"},
            {"check", "-q", a}, {"resize", a, "-512k"}};
        for (String[] line : lines) {
            RealQemuImg.Run expected = qemuImg(dir, (Object[]) line);
            assertThat(jqmpMain((Object[]) line)).as(String.join(" ", line)).isEqualTo(expected);
            assertThat(imgMain(line)).as("ImgMain " + String.join(" ", line)).isEqualTo(expected);
        }
    }
}
