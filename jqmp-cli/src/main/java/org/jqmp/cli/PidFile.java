package org.jqmp.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code -pidfile}: the process id in a file that stays locked while the machine runs and is removed at exit,
 * as QEMU 7.2 does ({@code qemu_write_pidfile}; its error texts observed).
 */
final class PidFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;

    private PidFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** @throws IOException with QEMU's message, e.g. {@code cannot create PID file: Could not create '...': ...} */
    static PidFile create(Path path) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (NoSuchFileException e) {
            throw refused("Could not create '" + path + "': No such file or directory");
        } catch (AccessDeniedException e) {
            throw refused("Could not create '" + path + "': Permission denied");
        }
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw refused("Cannot lock pid file: Resource temporarily unavailable");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        return new PidFile(path, channel);
    }

    private static IOException refused(String reason) {
        return new IOException("cannot create PID file: " + reason);
    }

    /** Removes the file (while still holding its lock, so no other process takes a stale one). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
            channel.close();
        } catch (IOException e) {
            // at exit nothing better can be done than leaving the file behind
        }
    }
}
