package org.jqmp.cli.img;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jqmp.cli.img.RealQemuImg.jqmpMain;
import static org.jqmp.cli.img.RealQemuImg.qemuImg;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jqmp img} reached through the top-level jqmp command: the outer parser passes every argument on. */
class MainImgTest {
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
            assertThat(jqmpMain((Object[]) line)).as(String.join(" ", line)).isEqualTo(qemuImg(dir, (Object[]) line));
        }
    }
}
