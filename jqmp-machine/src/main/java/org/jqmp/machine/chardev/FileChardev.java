package org.jqmp.machine.chardev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/** QEMU's {@code file} backend: created if missing, truncated unless {@code append=on} ({@code char-file.c}). */
final class FileChardev implements Chardev {
    private final String id;
    /** The {@code logfile}: a copy of what the front end writes. */
    private volatile ChardevLog log = ChardevLog.NONE;
    private final FileChannel channel;

    private FileChardev(String id, FileChannel channel) {
        this.id = id;
        this.channel = channel;
    }

    static FileChardev open(ChardevBackend.File backend) {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        options.add(backend.append() ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new FileChardev(backend.id(), FileChannel.open(backend.path(), options));
        } catch (IOException e) {
            throw new ChardevException("Could not open '" + backend.path() + "': " + reason(e));
        }
    }

    /** The strerror text QEMU appends (glibc's words). */
    static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "No such file or directory";
            case AccessDeniedException a -> "Permission denied";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }

    @Override
    public String id() {
        return id;
    }

    /** QEMU 7.2 reports just the backend name for a file (observed). */
    @Override
    public String filename() {
        return "file";
    }

    @Override
    public synchronized void write(byte[] data) {
        log.write(data);
        ByteBuffer buffer = ByteBuffer.wrap(data);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("chardev " + id + ": write failed", e);
        }
    }

    @Override
    public void logTo(ChardevLog value) {
        log = value;
    }

    @Override
    public void close() {
        log.close();
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with a file we are dropping
        }
    }
}
