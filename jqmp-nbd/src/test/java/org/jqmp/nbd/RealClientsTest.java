package org.jqmp.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real NBD clients against jqmp's server: libnbd's nbdinfo and nbdcopy, QEMU's qemu-img and qemu-io. The
 * image is a qcow2 made by qemu-img with data, an explicit zero run and unallocated space.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealClientsTest {
    private static final long SIZE = 64 << 20;
    @TempDir
    Path dir;
    ServedImage served;

    @BeforeEach
    void image() throws Exception {
        Tool.require("qemu-img", "qemu-utils");
        Tool.require("qemu-io", "qemu-utils");
        Path image = dir.resolve("disk.qcow2");
        Tool.ok("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), String.valueOf(SIZE));
        Tool.ok("qemu-io", "-f", "qcow2", image.toString(), "-c", "write -P 0x11 0 1M", "-c", "write -z 8M 1M",
                "-c", "write -P 0x22 20M 3M");
        served = ServedImage.open(dir, image, "disk", true, NbdServerOptions.defaults());
    }

    @AfterEach
    void stop() {
        if (served != null) {
            served.close();
        }
    }

    @Test
    void nbdinfoJsonSaysWhatQemuNbdSays() throws Exception {
        Tool.require("nbdinfo", "libnbd-bin");
        Tool.require("qemu-nbd", "qemu-utils");
        String ours = Tool.ok("nbdinfo", "--json", served.uri("disk")).out();
        assertThat(ours).contains("\"export-size\": " + SIZE, "\"is_read_only\": false", "\"can_zero\": true",
                "\"base:allocation\"", "\"structured\": true");
        Path copy = dir.resolve("copy.qcow2");
        Tool.ok("qemu-img", "convert", "-U", "-f", "qcow2", "-O", "qcow2", served.image.toString(), copy.toString());
        try (QemuNbd q = QemuNbd.start(dir, copy, "disk", "-f", "qcow2", "-D", "test disk disk")) {
            String theirs = Tool.ok("nbdinfo", "--json", q.uri("disk")).out();
            assertThat(withoutUri(ours)).isEqualTo(withoutUri(theirs));
        }
    }

    @Test
    void nbdinfoMapAgreesWithQemuImgMap() throws Exception {
        Tool.require("nbdinfo", "libnbd-bin");
        String map = Tool.ok("nbdinfo", "--map", "--json", served.uri("disk")).out();
        List<String> nbd = new ArrayList<>();
        Matcher m = Pattern.compile("\"offset\": (\\d+), \"length\": (\\d+), \"type\": (\\d+)").matcher(map);
        while (m.find()) {
            int type = Integer.parseInt(m.group(3));
            add(nbd, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), (type & 1) == 0, (type & 2) != 0);
        }
        String qemu = Tool.ok("qemu-img", "map", "-U", "--output=json", served.image.toString()).out();
        List<String> img = new ArrayList<>();
        m = Pattern.compile("\"start\": (\\d+), \"length\": (\\d+),.*?\"zero\": (\\w+), \"data\": (\\w+)")
                .matcher(qemu);
        while (m.find()) {
            add(img, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(4).equals("true"),
                    m.group(3).equals("true"));
        }
        assertThat(nbd).containsExactlyElementsOf(img).contains("0+1048576 data", "1048576+19922944 zero");
    }

    @Test
    void mapOfAnOverlayLooksThroughToItsBackingFile() throws Exception {
        Tool.require("nbdinfo", "libnbd-bin");
        Path overlay = dir.resolve("overlay.qcow2");
        served.close();
        served = null;
        Tool.ok("qemu-img", "create", "-q", "-f", "qcow2", "-b", "disk.qcow2", "-F", "qcow2", overlay.toString());
        Tool.ok("qemu-io", "-f", "qcow2", overlay.toString(), "-c", "write -P 0x33 4M 1M", "-c", "write -z 0 64k");
        served = ServedImage.open(dir, overlay, "top", false, NbdServerOptions.defaults());
        String map = Tool.ok("nbdinfo", "--map", "--json", served.uri("top")).out();
        List<String> nbd = new ArrayList<>();
        Matcher m = Pattern.compile("\"offset\": (\\d+), \"length\": (\\d+), \"type\": (\\d+)").matcher(map);
        while (m.find()) {
            int type = Integer.parseInt(m.group(3));
            add(nbd, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), (type & 1) == 0, (type & 2) != 0);
        }
        String qemu = Tool.ok("qemu-img", "map", "-U", "--output=json", overlay.toString()).out();
        List<String> img = new ArrayList<>();
        m = Pattern.compile("\"start\": (\\d+), \"length\": (\\d+),.*?\"zero\": (\\w+), \"data\": (\\w+)")
                .matcher(qemu);
        while (m.find()) {
            add(img, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(4).equals("true"),
                    m.group(3).equals("true"));
        }
        assertThat(nbd).containsExactlyElementsOf(img)
                .startsWith("0+65536 zero", "65536+983040 data", "1048576+3145728 zero", "4194304+1048576 data");
        Tool r = Tool.ok("qemu-io", "-r", "-f", "raw", served.uri("top"), "-c", "read -P 0 0 64k",
                "-c", "read -P 0x11 64k 960k", "-c", "read -P 0x33 4M 1M", "-c", "read -P 0x22 20M 3M");
        assertThat(r.out()).doesNotContain("Pattern verification failed");
    }

    /** Appends a run, merging it into the previous one when both say the same. */
    private static void add(List<String> runs, long start, long length, boolean data, boolean zero) {
        String kind = data ? "data" : zero ? "zero" : "hole";
        if (!runs.isEmpty() && runs.getLast().endsWith(" " + kind)) {
            String[] p = runs.removeLast().split("[+ ]");
            runs.add(p[0] + "+" + (Long.parseLong(p[1]) + length) + " " + kind);
        } else {
            runs.add(start + "+" + length + " " + kind);
        }
    }

    @Test
    void nbdinfoListShowsEveryExport() throws Exception {
        Tool.require("nbdinfo", "libnbd-bin");
        served.server.addExport(new NbdExport("second", "the same disk, read-only", served.node, false));
        String list = Tool.ok("nbdinfo", "--list", "--json", "nbd+unix://?socket=" + served.socket).out();
        assertThat(list).contains("\"export-name\": \"disk\"", "\"export-name\": \"second\"",
                "\"description\": \"the same disk, read-only\"", "\"is_read_only\": true");
    }

    @Test
    void nbdcopyInAndOutKeepsEveryByte() throws Exception {
        Tool.require("nbdcopy", "libnbd-bin");
        byte[] data = new byte[(int) SIZE];
        new Random(42).nextBytes(data);
        java.util.Arrays.fill(data, 4 << 20, 12 << 20, (byte) 0);
        Path in = Files.write(dir.resolve("in.raw"), data);
        Tool.ok("nbdcopy", in.toString(), served.uri("disk"));
        Path out = dir.resolve("out.raw");
        Tool.ok("nbdcopy", served.uri("disk"), out.toString());
        assertThat(sha256(out)).isEqualTo(sha256(in));
        assertThat(served.node.read(5 << 20, 4096)).containsOnly(0);
    }

    @Test
    void qemuImgConvertsFromTheExportAndComparesEqual() throws Exception {
        Path out = dir.resolve("converted.raw");
        Tool.ok("qemu-img", "convert", "-f", "raw", "-O", "raw", served.uri("disk"), out.toString());
        Tool.ok("qemu-img", "compare", "-U", "-f", "raw", "-F", "qcow2", out.toString(), served.image.toString());
        Tool.ok("qemu-img", "compare", "-f", "raw", "-F", "raw", served.uri("disk"), out.toString());
    }

    @Test
    void qemuIoWritesAndReadsBack() throws Exception {
        String uri = served.uri("disk");
        Tool w = Tool.ok("qemu-io", "-f", "raw", uri, "-c", "write -P 0x5a 1M 64k", "-c", "aio_write -P 0x6b 30M 4k",
                "-c", "aio_flush", "-c", "write -z 20M 512k", "-c", "discard 21M 1M", "-c", "flush");
        assertThat(w.out()).doesNotContain("error", "failed");
        Tool r = Tool.ok("qemu-io", "-f", "raw", uri, "-c", "read -P 0x5a 1M 64k", "-c", "read -P 0x6b 30M 4k",
                "-c", "read -P 0 20M 512k", "-c", "read -P 0x11 0 1M", "-c", "read -P 0x22 22M 1M");
        assertThat(r.out()).doesNotContain("Pattern verification failed").contains("read 65536/65536 bytes");
        assertThat(served.node.read((1 << 20) + 100, 1)).containsExactly(0x5a);
    }

    @Test
    void readOnlyExportRefusesQemuIoWrites() throws Exception {
        served.server.addExport(new NbdExport("ro", "", served.node, false));
        Tool t = Tool.run("qemu-io", "-f", "raw", served.uri("ro"), "-c", "write -P 0x77 0 4k");
        assertThat(t.out() + t.err()).containsAnyOf("read-only", "Operation not permitted", "Permission denied");
        assertThat(served.node.read(0, 1)).containsExactly(0x11);
    }

    @Test
    void severalConnectionsAtOnceOnAMultiConnExport() throws Exception {
        Tool.require("nbdcopy", "libnbd-bin");
        served.server.addExport(new NbdExport("ro", "", served.node, false));
        List<RawNbdClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                clients.add(RawNbdClient.connected(served.socket, "ro", false));
            }
            assertThat(served.server.connections("ro")).isEqualTo(4);
            for (RawNbdClient c : clients) {
                c.request(0, Nbd.CMD_READ, 1, 20 << 20, 4, null);
            }
            for (RawNbdClient c : clients) {
                assertThat(c.reply(4).payload()).containsOnly(0x22);
            }
        } finally {
            for (RawNbdClient c : clients) {
                c.close();
            }
        }
        Path out = dir.resolve("multi.raw");
        Tool.ok("nbdcopy", "--connections=4", served.uri("ro"), out.toString());
        Tool.ok("qemu-img", "compare", "-U", "-f", "raw", "-F", "qcow2", out.toString(), served.image.toString());
    }

    static String withoutUri(String nbdinfoJson) {
        return nbdinfoJson.replaceAll("(?m)^\\s*\"uri\": .*\\n", "");
    }

    static String sha256(Path p) throws Exception {
        var md = java.security.MessageDigest.getInstance("SHA-256");
        return java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(p)));
    }
}
