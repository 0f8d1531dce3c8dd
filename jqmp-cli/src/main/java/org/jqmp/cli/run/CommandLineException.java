package org.jqmp.cli.run;

import java.util.List;

/**
 * A command line that QEMU 7.2 would refuse (or that jqmp cannot honour), worded as QEMU words it.
 *
 * <p>Each entry of {@link #messages()} is one line group QEMU prints after its program-name prefix
 * ({@code qemu-system-x86_64: }); an entry may hold further lines (QEMU's hints) that carry no prefix.
 * {@link #format(String)} puts the caller's prefix back. The exit status is always 1, as QEMU's.
 */
public final class CommandLineException extends RuntimeException {

    private final List<String> messages;

    public CommandLineException(String message) {
        this(List.of(message));
    }

    public CommandLineException(List<String> messages) {
        super(String.join("\n", messages));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a command-line error needs a message");
        }
        this.messages = List.copyOf(messages);
    }

    /** The error at an option: {@code "-chardev socket,id=x: chardev: socket: no port given"}. */
    static CommandLineException at(String location, String text) {
        return new CommandLineException(location + ": " + text);
    }

    /** The messages, each without the program-name prefix. */
    public List<String> messages() {
        return messages;
    }

    /** The text to print on stderr: every message behind {@code program + ": "}, one per line. */
    public String format(String program) {
        StringBuilder out = new StringBuilder();
        for (String message : messages) {
            out.append(program).append(": ").append(message).append('\n');
        }
        return out.toString();
    }

    /** QEMU exits with 1 for every command-line error. */
    public int exitCode() {
        return 1;
    }
}
