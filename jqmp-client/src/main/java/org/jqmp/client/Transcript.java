package org.jqmp.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Everything sent and received, message by message, for debugging and bug reports. Called from the reader
 * and the sending threads; implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface Transcript {
    enum Direction { SENT, RECEIVED }

    void record(Direction direction, String message);

    /** Appends lines {@code -> ...} (sent) and {@code <- ...} (received) to a file, flushed per line. */
    static Transcript toFile(Path file) {
        Writer out;
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open transcript " + file, e);
        }
        return (direction, message) -> {
            synchronized (out) {
                try {
                    out.write((direction == Direction.SENT ? "-> " : "<- ") + message.strip() + "\n");
                    out.flush();
                } catch (IOException e) {
                    // a transcript that cannot be written must not break the session
                }
            }
        };
    }
}
