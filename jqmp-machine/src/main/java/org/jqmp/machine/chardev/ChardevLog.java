package org.jqmp.machine.chardev;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/**
 * A chardev's {@code logfile} ({@code logappend}): a copy of every byte its front end writes, as QEMU's
 * {@code qemu_chr_write_log} keeps it. What comes in from outside is not logged. QEMU ignores a failed log write,
 * and so does this.
 */
public final class ChardevLog implements AutoCloseable {
    /** No log. */
    public static final ChardevLog NONE = new ChardevLog(null);

    private final FileChannel file;

    private ChardevLog(FileChannel file) {
        this.file = file;
    }

    /**
     * {@code qemu_chr_open_log}: created if missing, emptied unless {@code append}.
     *
     * @throws ChardevException QEMU's {@code Could not create 'PATH': REASON}
     */
    public static ChardevLog open(Path path, boolean append) {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new ChardevLog(FileChannel.open(path, options));
        } catch (IOException e) {
            throw new ChardevException("Could not create '" + path + "': " + FileChardev.reason(e));
        }
    }

    /** Appends {@code data}; a failure is ignored, as QEMU ignores it. */
    synchronized void write(byte[] data) {
        if (file == null || data.length == 0) {
            return;
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                file.write(buffer);
            }
        } catch (IOException e) {
            // qemu_chr_write_log: the log is best effort
        }
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // nothing more to write
            }
        }
    }
}
