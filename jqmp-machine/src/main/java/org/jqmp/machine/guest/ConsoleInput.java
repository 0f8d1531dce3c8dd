package org.jqmp.machine.guest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The console's input side, as a terminal line discipline in canonical mode: bytes wait until a line is
 * complete (CR, LF or CR LF), backspace/DEL erase, Ctrl-C drops the line. Bounded by {@link GuestLimits}:
 * a line longer than {@code maxLineBytes} is discarded, input beyond {@code maxPendingInput} is dropped.
 *
 * <p>Confined to the guest's thread.
 */
final class ConsoleInput {
    /** What a finished line turned out to be. */
    sealed interface Line {
        record Typed(String text) implements Line { }

        record TooLong(int limit) implements Line { }

        record Interrupted() implements Line { }
    }

    private final GuestLimits limits;
    private final ArrayDeque<Byte> pending = new ArrayDeque<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean overlong;
    private boolean afterCarriageReturn;

    ConsoleInput(GuestLimits limits) {
        this.limits = limits;
    }

    /** Queues bytes from the chardev; returns how many were dropped for want of room. */
    int offer(byte[] data) {
        int dropped = 0;
        for (byte b : data) {
            if (pending.size() < limits.maxPendingInput()) {
                pending.add(b);
            } else {
                dropped++;
            }
        }
        return dropped;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Consumes queued bytes up to the end of the next line; empty if no line is complete yet. */
    Optional<Line> nextLine() {
        while (!pending.isEmpty()) {
            byte b = pending.poll();
            boolean swallow = afterCarriageReturn && b == '\n';
            afterCarriageReturn = b == '\r';
            if (swallow) {
                continue;
            }
            Optional<Line> done = accept(b);
            if (done.isPresent()) {
                return done;
            }
        }
        return Optional.empty();
    }

    private Optional<Line> accept(byte b) {
        switch (b) {
            case '\r', '\n' -> {
                return Optional.of(finish());
            }
            case 0x03 -> {
                reset();
                return Optional.of(new Line.Interrupted());
            }
            case 0x7f, 0x08 -> erase();
            default -> {
                if (line.size() < limits.maxLineBytes()) {
                    line.write(b);
                } else {
                    overlong = true;
                }
            }
        }
        return Optional.empty();
    }

    private Line finish() {
        Line done = overlong ? new Line.TooLong(limits.maxLineBytes())
                : new Line.Typed(line.toString(StandardCharsets.UTF_8));
        reset();
        return done;
    }

    private void erase() {
        byte[] bytes = line.toByteArray();
        if (bytes.length > 0) {
            line.reset();
            line.write(bytes, 0, bytes.length - 1);
        }
    }

    private void reset() {
        line.reset();
        overlong = false;
    }

    /** Everything typed so far is forgotten (a reset: the UART and the OS start over). */
    void clear() {
        pending.clear();
        reset();
        afterCarriageReturn = false;
    }
}
