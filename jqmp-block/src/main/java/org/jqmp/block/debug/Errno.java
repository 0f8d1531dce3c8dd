package org.jqmp.block.debug;

import java.util.Map;

/** Linux errno values and glibc's {@code strerror} texts for them: what QEMU puts in BLOCK_IO_ERROR's reason. */
public final class Errno {
    public static final int EIO = 5;
    public static final int ENOSPC = 28;

    private static final Map<Integer, String> TEXTS = Map.ofEntries(
            Map.entry(1, "Operation not permitted"), Map.entry(2, "No such file or directory"),
            Map.entry(4, "Interrupted system call"), Map.entry(5, "Input/output error"),
            Map.entry(6, "No such device or address"), Map.entry(9, "Bad file descriptor"),
            Map.entry(11, "Resource temporarily unavailable"), Map.entry(12, "Cannot allocate memory"),
            Map.entry(13, "Permission denied"), Map.entry(14, "Bad address"),
            Map.entry(16, "Device or resource busy"), Map.entry(17, "File exists"),
            Map.entry(19, "No such device"), Map.entry(22, "Invalid argument"),
            Map.entry(24, "Too many open files"), Map.entry(27, "File too large"),
            Map.entry(28, "No space left on device"), Map.entry(29, "Illegal seek"),
            Map.entry(30, "Read-only file system"), Map.entry(32, "Broken pipe"),
            Map.entry(34, "Numerical result out of range"), Map.entry(38, "Function not implemented"),
            Map.entry(61, "No data available"), Map.entry(74, "Bad message"),
            Map.entry(75, "Value too large for defined data type"), Map.entry(95, "Operation not supported"),
            Map.entry(104, "Connection reset by peer"), Map.entry(107, "Transport endpoint is not connected"),
            Map.entry(110, "Connection timed out"), Map.entry(111, "Connection refused"),
            Map.entry(117, "Structure needs cleaning"), Map.entry(122, "Disk quota exceeded"),
            Map.entry(125, "Operation canceled"));

    private Errno() {
    }

    /** {@code strerror(errno)} as glibc words it, {@code Unknown error N} for a number it has no text for. */
    public static String text(int errno) {
        String text = TEXTS.get(errno);
        return text != null ? text : "Unknown error " + errno;
    }
}
