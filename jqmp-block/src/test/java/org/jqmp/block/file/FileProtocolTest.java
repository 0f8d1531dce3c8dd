package org.jqmp.block.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jqmp.block.BlockException;
import org.jqmp.block.ImageLockedException;
import org.jqmp.block.QemuTools;
import org.jqmp.block.raw.RawFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileProtocolTest {
    @TempDir
    Path dir;

    private Path file(long size) throws IOException {
        Path p = dir.resolve("f.img");
        FileProtocol.create(p, p.toString(), size);
        return p;
    }

    @Test
    void readsWhatWasWrittenAndZeroesPastTheEnd() throws IOException {
        Path p = file(1000);
        try (FileProtocol f = FileProtocol.open(p, "f.img", false, true, false)) {
            f.write(10, new byte[] {1, 2, 3}, 0, 3);
            byte[] back = f.read(8, 7);
            assertThat(back).containsExactly(0, 0, 1, 2, 3, 0, 0);
            assertThat(f.read(995, 10)).containsOnly(0);
            f.resize(5000);
            assertThat(f.size()).isEqualTo(5000);
        }
    }

    @Test
    void discardPunchesAHoleAndWriteZeroesZeroes() throws IOException {
        assumeTrue(FileProtocol.lockingAvailable(), "native fallocate unavailable here");
        Path p = file(0);
        byte[] data = new byte[1 << 20];
        Arrays.fill(data, (byte) 9);
        try (FileProtocol f = FileProtocol.open(p, "f.img", false, true, false)) {
            f.write(0, data, 0, data.length);
            f.flush();
            long before = f.allocatedSize();
            f.discard(0, 1 << 19);
            assertThat(f.allocatedSize()).isLessThan(before);
            f.writeZeroes(1 << 19, 4096);
            assertThat(f.read(1 << 19, 4096)).containsOnly(0);
            assertThat(f.read((1 << 19) + 4096, 10)).containsOnly(9);
            assertThat(f.size()).isEqualTo(1 << 20);
        }
    }

    @Test
    void secondWriterInThisProcessGetsQemusError() throws IOException {
        assumeTrue(FileProtocol.lockingAvailable(), "OFD locks unavailable: " + NativeFile.unavailableReason());
        Path p = file(4096);
        try (FileProtocol first = FileProtocol.open(p, "f.img", false, true, false)) {
            assertThatThrownBy(() -> FileProtocol.open(p, "f.img", false, true, false))
                    .isInstanceOf(ImageLockedException.class)
                    .hasMessageContaining("Failed to get \"write\" lock")
                    .hasMessageContaining("Is another process using the image [f.img]?");
            assertThatThrownBy(() -> FileProtocol.open(p, "f.img", true, true, false))
                    .isInstanceOf(ImageLockedException.class)
                    .hasMessageContaining("Failed to get shared \"write\" lock");
            FileProtocol.open(p, "f.img", true, true, true).close(); // -U shares everything
        }
        FileProtocol.open(p, "f.img", false, true, false).close(); // released on close
    }

    @Test
    void readersShareButKeepWritersOut() throws IOException {
        assumeTrue(FileProtocol.lockingAvailable(), "OFD locks unavailable");
        Path p = file(4096);
        try (FileProtocol r1 = FileProtocol.open(p, "f.img", true, true, false);
             FileProtocol r2 = FileProtocol.open(p, "f.img", true, true, false)) {
            assertThatThrownBy(() -> FileProtocol.open(p, "f.img", false, true, false))
                    .isInstanceOf(ImageLockedException.class);
        }
    }

    @Test
    void jqmpAndQemuSeeEachOthersLocks() throws Exception {
        assumeTrue(FileProtocol.lockingAvailable(), "OFD locks unavailable");
        QemuTools.require("qemu-img", "qemu-io");
        Path p = dir.resolve("l.qcow2");
        QemuTools.qemuImg("create", "-f", "qcow2", p, "1M").ok();
        try (FileProtocol f = FileProtocol.open(p, "l.qcow2", false, true, false)) {
            var r = QemuTools.qemuImg("info", p);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("Failed to get shared \"write\" lock");
            assertThat(QemuTools.qemuIo(p, "read 0 512").err()).contains("Failed to get \"write\" lock");
        }
        // qemu-io holding the image read/write: jqmp must not get it
        Process holder = new ProcessBuilder("qemu-io", p.toString()).redirectErrorStream(true).start();
        try (OutputStream in = holder.getOutputStream()) {
            waitForLock(p);
            assertThatThrownBy(() -> FileProtocol.open(p, "l.qcow2", false, true, false))
                    .isInstanceOf(ImageLockedException.class).hasMessageContaining("lock");
            assertThatThrownBy(() -> FileProtocol.open(p, "l.qcow2", true, true, false))
                    .isInstanceOf(ImageLockedException.class).hasMessageContaining("Failed to get shared \"write\" lock");
            in.write("quit\n".getBytes());
        }
        assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
        FileProtocol.open(p, "l.qcow2", false, true, false).close();
    }

    private static void waitForLock(Path p) throws Exception {
        String ino = Files.getAttribute(p, "unix:ino").toString();
        for (int i = 0; i < 200; i++) {
            if (Files.readString(Path.of("/proc/locks")).contains(":" + ino + " ")) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("qemu-io never locked " + p);
    }

    @Test
    void openErrorsNameTheFile() {
        assertThatThrownBy(() -> FileProtocol.open(dir.resolve("nope"), "nope", true, true, false))
                .isInstanceOf(BlockException.class)
                .hasMessage("Could not open 'nope': No such file or directory");
    }

    @Test
    void rawWindowShowsOnlyItsBytes() throws IOException {
        Path p = file(0);
        byte[] all = new byte[4096];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        Files.write(p, all);
        try (RawFormat raw = new RawFormat(FileProtocol.open(p, "f.img", false, true, false), 100, 1000)) {
            assertThat(raw.size()).isEqualTo(1000);
            assertThat(raw.read(0, 3)).containsExactly(100, 101, 102);
            raw.write(999, new byte[] {42}, 0, 1);
            assertThatThrownBy(() -> raw.read(999, 2)).isInstanceOf(BlockException.class)
                    .hasMessageContaining("outside the image");
        }
        assertThat(Files.readAllBytes(p)[1099]).isEqualTo((byte) 42);
        assertThatThrownBy(() -> new RawFormat(FileProtocol.open(p, "f.img", true, true, false), 4000, 1000))
                .isInstanceOf(BlockException.class).hasMessageContaining("smaller or equal");
    }
}
