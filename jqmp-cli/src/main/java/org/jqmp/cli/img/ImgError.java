package org.jqmp.cli.img;

/**
 * An error qemu-img reports before touching an image. {@code usage} errors are its {@code error_exit}: the
 * message is followed by "Try '... --help' for more information". A message of several lines is printed with the
 * program name before each line, as QEMU's error_report does for each call. The exit code is 1 but for compare,
 * whose errors exit with 2.
 */
final class ImgError extends RuntimeException {
    private final boolean usage;
    private final int exitCode;
    private final String hint;

    ImgError(String message, boolean usage) {
        this(message, usage, 1, null);
    }

    private ImgError(String message, boolean usage, int exitCode, String hint) {
        super(message);
        this.usage = usage;
        this.exitCode = exitCode;
        this.hint = hint;
    }

    /** An error with a hint printed under it without the program name (QEMU's error_append_hint). */
    static ImgError withHint(String message, String hint) {
        return new ImgError(message, false, 1, hint);
    }

    /** The hint lines, or null. */
    String hint() {
        return hint;
    }

    static ImgError usage(String message) {
        return new ImgError(message, true);
    }

    ImgError withExitCode(int code) {
        return new ImgError(getMessage(), usage, code, hint);
    }

    boolean usage() {
        return usage;
    }

    int exitCode() {
        return exitCode;
    }
}
