package org.jqmp.machine.chardev;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.util.Base64;
import org.jqmp.api.DataFormat;
import org.jqmp.api.runtime.QmpException;

/**
 * QEMU's {@code ringbuf} backend ({@code chardev/char-ringbuf.c}): the newest {@code size} bytes written; a
 * write to a full buffer drops the oldest bytes, a read takes the oldest.
 */
final class RingbufChardev implements Chardev {
    private final String id;
    /** The {@code logfile}: a copy of what the front end writes. */
    private volatile ChardevLog log = ChardevLog.NONE;
    private final String name;
    private final byte[] buffer;
    private long produced;
    private long consumed;
    private volatile java.util.function.Consumer<byte[]> input;

    RingbufChardev(ChardevBackend.Ringbuf backend) {
        this.id = backend.id();
        this.name = backend.name();
        this.buffer = new byte[Math.toIntExact(backend.size())];
    }

    @Override
    public String id() {
        return id;
    }

    /** The backend name as given ({@code ringbuf} or {@code memory}), as QEMU 7.2 reports it (observed). */
    @Override
    public String filename() {
        return name;
    }

    @Override
    public void write(byte[] data) {
        log.write(data);
        store(data);
    }

    /** {@code ringbuf_chr_write}: into the ring, the oldest bytes giving way. */
    private synchronized void store(byte[] data) {
        if (buffer.length == 0) {
            return; // size=0 passes QEMU's power-of-two check; such a buffer holds nothing
        }
        for (byte b : data) {
            buffer[(int) (produced++ % buffer.length)] = b;
            if (produced - consumed > buffer.length) {
                consumed = produced - buffer.length;
            }
        }
    }

    synchronized byte[] read(long size) {
        int count = (int) Math.min(size, produced - consumed);
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = buffer[(int) (consumed++ % buffer.length)];
        }
        return out;
    }

    /**
     * {@code qmp_ringbuf_write}: base64 is checked before anything is written. QEMU only stores the bytes; jqmp
     * also hands them to the front end, so that a QMP client can type on the simulated guest's console.
     */
    void write(String data, DataFormat format) {
        byte[] bytes = format == DataFormat.BASE64 ? decodeBase64(data) : data.getBytes(StandardCharsets.UTF_8);
        store(bytes); // straight into the ring, as QEMU's: not the front end's output, so not logged
        java.util.function.Consumer<byte[]> receiver = input;
        if (receiver != null && bytes.length > 0) {
            receiver.accept(bytes);
        }
    }

    @Override
    public void connectInput(java.util.function.Consumer<byte[]> receiver) {
        input = receiver;
    }

    /** {@code qmp_ringbuf_read}: utf8 turns each malformed sequence into U+FFFD, as QEMU's JSON output does. */
    String read(long size, DataFormat format) {
        byte[] bytes = read(size);
        if (format == DataFormat.BASE64) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    /**
     * QEMU's {@code qbase64_decode}: only the Base64 alphabet and '=' are allowed (no whitespace); glib then
     * decodes whole groups of four characters, so a trailing partial group yields nothing (observed: "YQ").
     */
    static byte[] decodeBase64(String data) {
        if (!data.matches("[A-Za-z0-9+/=]*")) {
            throw QmpException.generic("Base64 data contains invalid characters");
        }
        String whole = data.substring(0, data.length() - data.length() % 4);
        try {
            return Base64.getDecoder().decode(whole);
        } catch (IllegalArgumentException e) {
            throw QmpException.generic("Base64 data contains invalid characters");
        }
    }

    @Override
    public void logTo(ChardevLog value) {
        log = value;
    }

    @Override
    public void close() {
        log.close();
    }
}
