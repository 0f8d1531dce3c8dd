package org.jqmp.machine.chardev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmp.api.ChardevInfo;
import org.jqmp.api.DataFormat;
import org.jqmp.api.runtime.QmpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine's chardevs, with the answers and texts QEMU 7.2 gave for the same steps (observed). */
class ChardevsTest {
    @TempDir
    Path dir;

    private final Chardevs chardevs = new Chardevs(id -> id.equals("compat_monitor0"));

    @AfterEach
    void close() {
        chardevs.close();
    }

    @Test
    void ringbufKeepsTheNewestBytesAndReadsTheOldestFirst() {
        chardevs.open(new ChardevBackend.Ringbuf("r0", 4, "ringbuf"));
        chardevs.ringbufWrite("r0", "abcdef", null);
        assertThat(chardevs.ringbufRead("r0", 10, null)).isEqualTo("cdef");
        assertThat(chardevs.ringbufRead("r0", 10, DataFormat.UTF8)).isEmpty();
    }

    @Test
    void ringbufReadsPartiallyAndInBase64() {
        chardevs.open(new ChardevBackend.Ringbuf("r0", ChardevBackend.Ringbuf.DEFAULT_SIZE, "ringbuf"));
        chardevs.ringbufWrite("r0", "hello", null);
        assertThat(chardevs.ringbufRead("r0", 3, null)).isEqualTo("hel");
        assertThat(chardevs.ringbufRead("r0", 10, DataFormat.BASE64)).isEqualTo("bG8=");
    }

    @Test
    void utf8ReadsReplaceEachBrokenSequenceAsQemuDoes() {
        chardevs.open(new ChardevBackend.Ringbuf("r0", 64, "ringbuf"));
        chardevs.ringbufWrite("r0", "\u00e9\u20ac x", null);
        assertThat(chardevs.ringbufRead("r0", 4, null)).isEqualTo("\u00e9\ufffd");
        assertThat(chardevs.ringbufRead("r0", 3, DataFormat.BASE64)).isEqualTo("rCB4");
        chardevs.ringbufWrite("r0", "\u00e9", null);
        assertThat(chardevs.ringbufRead("r0", 1, null)).isEqualTo("\ufffd");
        assertThat(chardevs.ringbufRead("r0", 1, null)).isEqualTo("\ufffd");
    }

    @Test
    void base64IsCheckedBeforeAnythingIsWritten() {
        chardevs.open(new ChardevBackend.Ringbuf("r0", 64, "memory"));
        assertThatThrownBy(() -> chardevs.ringbufWrite("r0", "Y Q==", DataFormat.BASE64))
                .isInstanceOf(QmpException.class).hasMessage("Base64 data contains invalid characters");
        chardevs.ringbufWrite("r0", "YQ", DataFormat.BASE64);
        assertThat(chardevs.ringbufRead("r0", 9, null)).isEmpty();
        chardevs.ringbufWrite("r0", "/w==", DataFormat.BASE64);
        assertThat(chardevs.ringbufRead("r0", 9, DataFormat.BASE64)).isEqualTo("/w==");
    }

    @Test
    void ringbufErrorsInQemusOrder() {
        chardevs.open(new ChardevBackend.Null("n0"));
        chardevs.open(new ChardevBackend.Ringbuf("r0", 64, "ringbuf"));
        assertThatThrownBy(() -> chardevs.ringbufRead("zz", 10, null)).hasMessage("Device 'zz' not found");
        assertThatThrownBy(() -> chardevs.ringbufRead("n0", -1, null)).hasMessage("n0 is not a ringbuf device");
        assertThatThrownBy(() -> chardevs.ringbufWrite("compat_monitor0", "x", null))
                .hasMessage("compat_monitor0 is not a ringbuf device");
        assertThatThrownBy(() -> chardevs.ringbufRead("r0", 0, null)).hasMessage("size must be greater than zero");
    }

    @Test
    void queryFormsAndRemoval() {
        chardevs.open(new ChardevBackend.Null("n0"));
        chardevs.open(new ChardevBackend.Ringbuf("r1", 1024, "memory"));
        chardevs.open(new ChardevBackend.File("f0", dir.resolve("f.log"), false));
        chardevs.attachFrontend("f0");
        assertThat(chardevs.infos()).containsExactly(new ChardevInfo("n0", "null", false),
                new ChardevInfo("r1", "memory", false), new ChardevInfo("f0", "file", true));
        assertThatThrownBy(() -> chardevs.remove("zz")).hasMessage("Chardev 'zz' not found");
        assertThatThrownBy(() -> chardevs.remove("compat_monitor0")).hasMessage("Chardev 'compat_monitor0' is busy");
        assertThatThrownBy(() -> chardevs.remove("f0")).hasMessage("Chardev 'f0' is busy");
        chardevs.remove("n0");
        assertThat(chardevs.infos()).extracting(ChardevInfo::label).containsExactly("r1", "f0");
    }

    @Test
    void fileTruncatesOrAppends() throws Exception {
        Path log = dir.resolve("g.log");
        Files.writeString(log, "old\n");
        chardevs.open(new ChardevBackend.File("a", log, true)).write("new\n".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(log)).isEqualTo("old\nnew\n");
        chardevs.remove("a");
        chardevs.open(new ChardevBackend.File("t", log, false)).write("x".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(log)).isEqualTo("x");
    }

    @Test
    void fileThatCannotBeOpenedNamesThePathAndTheReason() {
        assertThatThrownBy(() -> chardevs.open(new ChardevBackend.File("f", Path.of("/nonexist/x"), false)))
                .isInstanceOf(ChardevException.class)
                .hasMessage("Could not open '/nonexist/x': No such file or directory");
        assertThat(chardevs.infos()).isEmpty();
    }

    @Test
    void ptyGivesASlaveThatReceivesTheOutput() throws Exception {
        Chardev pty = chardevs.open(new ChardevBackend.Pty("p0"));
        String slave = ((PtyChardev) pty).slave();
        assertThat(slave).startsWith("/dev/pts/");
        assertThat(pty.filename()).isEqualTo("pty:" + slave);
        try (var in = Files.newInputStream(Path.of(slave))) {
            pty.write("hi\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readNBytes(3)).isEqualTo("hi\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
