package org.jqmp.machine.chardev;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * QEMU's {@code pty} backend ({@code chardev/char-pty.c}): the master side of a new pseudo-terminal in raw
 * mode; a person opens the slave ({@code /dev/pts/N}). Through the FFM API, as the JDK has no pty.
 */
final class PtyChardev implements Chardev {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0x100;
    /** {@code sizeof(struct termios)} on x86-64 glibc. */
    private static final long TERMIOS_SIZE = 60;
    private static final int TCSANOW = 0;
    private static final MethodHandle POSIX_OPENPT = function("posix_openpt", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle GRANTPT = function("grantpt", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle UNLOCKPT = function("unlockpt", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle PTSNAME_R = function("ptsname_r", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    private static final MethodHandle TCGETATTR = function("tcgetattr", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS);
    private static final MethodHandle TCSETATTR = function("tcsetattr", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
    private static final MethodHandle CFMAKERAW = LINKER.downcallHandle(
            LINKER.defaultLookup().find("cfmakeraw").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    private static final MethodHandle WRITE = function("write", ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    private static final MethodHandle CLOSE = function("close", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);

    private final String id;
    /** The {@code logfile}: a copy of what the front end writes. */
    private volatile ChardevLog log = ChardevLog.NONE;
    private final int master;
    private final String slave;
    private boolean closed;

    private PtyChardev(String id, int master, String slave) {
        this.id = id;
        this.master = master;
        this.slave = slave;
    }

    private static MethodHandle function(String name, ValueLayout result, ValueLayout... args) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(result, args));
    }

    static PtyChardev open(ChardevBackend.Pty backend) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) POSIX_OPENPT.invokeExact(O_RDWR | O_NOCTTY);
            if (fd < 0) {
                throw new ChardevException("Failed to create PTY");
            }
            MemorySegment name = arena.allocate(128);
            MemorySegment termios = arena.allocate(TERMIOS_SIZE);
            if ((int) GRANTPT.invokeExact(fd) != 0 || (int) UNLOCKPT.invokeExact(fd) != 0
                    || (int) PTSNAME_R.invokeExact(fd, name, 128L) != 0
                    || (int) TCGETATTR.invokeExact(fd, termios) != 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new ChardevException("Failed to create PTY");
            }
            // qemu_openpty_raw: the terminal passes bytes through untouched
            CFMAKERAW.invokeExact(termios);
            int ignored = (int) TCSETATTR.invokeExact(fd, TCSANOW, termios);
            return new PtyChardev(backend.id(), fd, name.getString(0));
        } catch (ChardevException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("pty through libc", e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    /** The slave's path, which a person opens. */
    public String slave() {
        return slave;
    }

    @Override
    public String filename() {
        return "pty:" + slave;
    }

    /**
     * Output nobody reads is dropped rather than blocking the machine: QEMU likewise discards while no one
     * has the slave open. Here a full pty buffer makes write(2) block, so only small writes are expected.
     */
    @Override
    public synchronized void write(byte[] data) {
        log.write(data);
        if (closed) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocateFrom(ValueLayout.JAVA_BYTE, data);
            long ignored = (long) WRITE.invokeExact(master, bytes, (long) data.length);
        } catch (Throwable e) {
            throw new IllegalStateException("write to pty " + slave, e);
        }
    }

    @Override
    public void logTo(ChardevLog value) {
        log = value;
    }

    @Override
    public synchronized void close() {
        log.close();
        if (!closed) {
            closed = true;
            try {
                int ignored = (int) CLOSE.invokeExact(master);
            } catch (Throwable e) {
                throw new IllegalStateException("close pty " + slave, e);
            }
        }
    }
}
