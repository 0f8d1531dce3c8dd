package org.jqmp.machine.chardev;

/** An open character device: the front end writes bytes into it; {@code query-chardev} names it. */
public sealed interface Chardev extends AutoCloseable permits NullChardev, FileChardev, RingbufChardev, PtyChardev,
        SocketChardev, MuxChardev, StdioChardev {
    String id();

    /** QEMU's {@code filename} in {@code query-chardev} ({@code null}, {@code file}, {@code pty:/dev/pts/3}...). */
    String filename();

    /** Bytes from the front end (a serial port's transmitter). */
    void write(byte[] data);

    /**
     * Where bytes from outside (a socket peer; {@code ringbuf-write}, which jqmp also hands to the front end)
     * go: the front end's receiver, the simulated guest's serial console; {@code null} disconnects it. The
     * receiver must not block. A backend without input ignores it.
     */
    default void connectInput(java.util.function.Consumer<byte[]> receiver) {
    }

    /**
     * {@code logfile}: from now on every byte the front end writes is also copied to {@code log}, which the chardev
     * closes when it closes.
     */
    void logTo(ChardevLog log);

    @Override
    void close();
}
