package org.jqmp.block.img;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jqmp.block.QemuTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qemu-img map on images whose file has holes: raw files (the holes are the zeroes) and metadata-preallocated
 * qcow2 (allocated clusters that were never written read as zero). jqmp finds the holes with SEEK_DATA and
 * SEEK_HOLE and must print exactly what qemu-img prints, in JSON and for people.
 */
class MapHolesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void tools() {
        QemuTools.require("qemu-img", "qemu-io");
    }

    private String map(Path image, boolean json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = MapCommand.run(new MapCommand.Options(image.toString(), null, json, false),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private void sameMap(Path image) {
        assertThat(map(image, true)).as("map --output=json " + image.getFileName())
                .isEqualTo(QemuTools.qemuImg("map", "--output=json", image).ok().out());
        assertThat(map(image, false)).as("map " + image.getFileName())
                .isEqualTo(QemuTools.qemuImg("map", image).ok().out());
    }

    private List<Path> qemuMade() {
        List<Path> images = new ArrayList<>();
        for (String prealloc : new String[] {"off", "metadata", "falloc", "full"}) {
            Path q = dir.resolve("q-" + prealloc + ".qcow2");
            QemuTools.qemuImg("create", "-q", "-f", "qcow2", "-o", "preallocation=" + prealloc, q, "3M").ok();
            images.add(q);
            if (!prealloc.equals("metadata")) {
                Path r = dir.resolve("q-" + prealloc + ".raw");
                QemuTools.qemuImg("create", "-q", "-f", "raw", "-o", "preallocation=" + prealloc, r, "3M").ok();
                images.add(r);
            }
        }
        return images;
    }

    @Test
    void imagesQemuImgMadeMapAlike() {
        for (Path image : qemuMade()) {
            sameMap(image);
            String fmt = image.toString().endsWith(".raw") ? "raw" : "qcow2";
            QemuTools.run("qemu-io", "-f", fmt, "-c", "write -P 7 64k 4k", "-c", "write -P 8 1M 200k",
                    "-c", "write -z 2M 128k", image.toString()).ok();
            sameMap(image);
        }
    }

    @Test
    void imagesJqmpMadeMapAsQemuImgsDo() {
        for (String prealloc : new String[] {"off", "metadata", "falloc", "full"}) {
            for (String fmt : new String[] {"qcow2", "raw"}) {
                if (fmt.equals("raw") && prealloc.equals("metadata")) {
                    continue;
                }
                Path image = dir.resolve("j-" + prealloc + "." + fmt);
                var o = new CreateCommand.Options(image.toString(), fmt, 3 << 20, null, null,
                        Map.of("preallocation", prealloc), false, true);
                assertThat(CreateCommand.run(o, System.out, System.err)).isZero();
                Path twin = dir.resolve("q-" + prealloc + "." + fmt);
                QemuTools.qemuImg("create", "-q", "-f", fmt, "-o", "preallocation=" + prealloc, twin, "3M").ok();
                assertThat(map(image, true)).as(fmt + " preallocation=" + prealloc)
                        .isEqualTo(QemuTools.qemuImg("map", "--output=json", twin).ok().out().replace(twin.toString(),
                                image.toString()));
                sameMap(image);
            }
        }
    }

    @Test
    void preallocatedZeroClustersKeepTheirOffsetAndCompressedOnesCannotBeListed() {
        Path z = dir.resolve("z.qcow2");
        QemuTools.qemuImg("create", "-q", "-f", "qcow2", z, "1M").ok();
        QemuTools.qemuIo(z, "write 0 256k", "write -z 0 64k", "write -z 128k 64k", "write -z -u 192k 64k").ok();
        sameMap(z);
        Path raw = dir.resolve("data.raw");
        QemuTools.qemuImg("create", "-q", "-f", "raw", raw, "1M").ok();
        QemuTools.run("qemu-io", "-f", "raw", "-c", "write -P 3 0 1M", raw.toString()).ok();
        Path c = dir.resolve("c.qcow2");
        QemuTools.qemuImg("convert", "-c", "-O", "qcow2", raw, c).ok();
        assertThat(map(c, true)).isEqualTo(QemuTools.qemuImg("map", "--output=json", c).ok().out());
        var q = QemuTools.qemuImg("map", c);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = MapCommand.run(new MapCommand.Options(c.toString(), null, false, false),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(q.exitCode()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(q.err().replace("qemu-img", "jqmp img"));
    }
}
