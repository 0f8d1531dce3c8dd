package org.jqmp.machine.chardev;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.Consumer;

/**
 * QEMU's {@code stdio} backend when the machine owns it ({@code chardev/char-stdio.c}): the base of
 * {@code -serial mon:stdio}. On a terminal it switches the terminal to QEMU's raw mode
 * ({@code qemu_chr_set_echo_stdio}: no echo, no line editing, Ctrl-C still a signal when {@code signal=on}) and
 * restores it on close and when the process ends.
 */
final class StdioChardev implements Chardev {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle ISATTY = function("isatty", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle TCGETATTR = function("tcgetattr", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS);
    private static final MethodHandle TCSETATTR = function("tcsetattr", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
    /** {@code struct termios} on x86-64 glibc: c_iflag, c_oflag, c_cflag, c_lflag (4 bytes each), c_line, c_cc. */
    private static final long TERMIOS_SIZE = 60;
    private static final int LFLAG = 12;
    private static final int IFLAG = 0;
    private static final int CC = 17;
    private static final int VTIME = 5;
    private static final int VMIN = 6;
    private static final int ISIG = 0x1;
    private static final int ICANON = 0x2;
    private static final int ECHO = 0x8;
    private static final int ECHONL = 0x40;
    private static final int IEXTEN = 0x8000;
    private static final int ICRNL = 0x100;
    private static final int IXON = 0x400;
    private static final int INLCR = 0x40;
    private static final int IGNCR = 0x80;
    private static final int TCSANOW = 0;

    private final String id;
    /** The {@code logfile}: a copy of what the front end writes. */
    private volatile ChardevLog log = ChardevLog.NONE;
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private final byte[] savedTermios;
    private volatile Consumer<byte[]> input;
    private volatile boolean closed;

    private StdioChardev(String id, byte[] savedTermios) {
        this.id = id;
        this.savedTermios = savedTermios;
    }

    private static MethodHandle function(String name, ValueLayout result, ValueLayout... args) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(result, args));
    }

    static StdioChardev open(ChardevBackend.Stdio backend) {
        StdioChardev chardev = new StdioChardev(backend.id(), rawTerminal(backend.signal()));
        if (chardev.savedTermios != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(chardev::restoreTerminal));
        }
        Thread.ofPlatform().daemon().name("chardev-" + backend.id()).start(chardev::readLoop);
        return chardev;
    }

    /** The terminal's settings before, or null when standard input is not a terminal. */
    private static byte[] rawTerminal(boolean signal) {
        try (Arena arena = Arena.ofConfined()) {
            if ((int) ISATTY.invokeExact(0) != 1) {
                return null;
            }
            MemorySegment termios = arena.allocate(TERMIOS_SIZE);
            if ((int) TCGETATTR.invokeExact(0, termios) != 0) {
                return null;
            }
            byte[] saved = termios.toArray(ValueLayout.JAVA_BYTE);
            int iflag = termios.get(ValueLayout.JAVA_INT, IFLAG) & ~(ICRNL | IXON | INLCR | IGNCR);
            int lflag = termios.get(ValueLayout.JAVA_INT, LFLAG) & ~(ECHO | ECHONL | ICANON | IEXTEN);
            termios.set(ValueLayout.JAVA_INT, IFLAG, iflag);
            termios.set(ValueLayout.JAVA_INT, LFLAG, signal ? lflag : lflag & ~ISIG);
            termios.set(ValueLayout.JAVA_BYTE, CC + VMIN, (byte) 1);
            termios.set(ValueLayout.JAVA_BYTE, CC + VTIME, (byte) 0);
            int ignored = (int) TCSETATTR.invokeExact(0, TCSANOW, termios);
            return saved;
        } catch (Throwable e) {
            throw new IllegalStateException("raw mode for the terminal on standard input", e);
        }
    }

    private synchronized void restoreTerminal() {
        if (savedTermios == null) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment termios = arena.allocateFrom(ValueLayout.JAVA_BYTE, savedTermios);
            int ignored = (int) TCSETATTR.invokeExact(0, TCSANOW, termios);
        } catch (Throwable e) {
            throw new IllegalStateException("restore the terminal on standard input", e);
        }
    }

    private void readLoop() {
        InputStream in = new FileInputStream(FileDescriptor.in);
        byte[] buffer = new byte[1024];
        try {
            int count;
            while (!closed && (count = in.read(buffer)) >= 0) {
                Consumer<byte[]> receiver = input;
                if (receiver != null && count > 0) {
                    receiver.accept(java.util.Arrays.copyOf(buffer, count));
                }
            }
        } catch (IOException e) {
            // standard input is gone: nothing more to read
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String filename() {
        return "stdio";
    }

    @Override
    public synchronized void write(byte[] data) {
        log.write(data);
        try {
            out.write(data);
            out.flush();
        } catch (IOException e) {
            // standard output is gone: QEMU drops the output alike
        }
    }

    @Override
    public void connectInput(Consumer<byte[]> receiver) {
        input = receiver;
    }

    /** Standard input and output stay open (the process owns them); the terminal gets its settings back. */
    @Override
    public void logTo(ChardevLog value) {
        log = value;
    }

    @Override
    public void close() {
        log.close();
        closed = true;
        restoreTerminal();
    }
}
