package org.jqmp.block.file;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A second file descriptor on an image, opened through the C library with the JDK's foreign function API,
 * for what {@link java.nio.channels.FileChannel} cannot do: Linux open-file-description locks
 * ({@code F_OFD_SETLK}/{@code F_OFD_GETLK}, the locks QEMU uses, which conflict between two opens even in
 * one process, and with POSIX locks), {@code fallocate} (hole punching, preallocation) and {@code lseek} with
 * {@code SEEK_DATA}/{@code SEEK_HOLE} (where the file has holes, for block status as QEMU's file driver reports it).
 * Linux x86-64 and aarch64 only; {@link #available()} says whether it works here.
 *
 * <p>Every call goes through one downcall, the C library's {@code syscall(2)} with the call's number: linking a
 * downcall costs 15-20 ms of a fresh JVM's start and each further signature about 3 ms more (six took 35 ms, one
 * 20 ms, with a class-data archive), and nearly every {@code jqmp img} run opens a file. Structures are read and
 * written at their fixed offsets (the kernel ABI's), not through layout var handles, which also cost start-up.
 */
final class NativeFile implements AutoCloseable {
    // <fcntl.h>, Linux
    private static final int O_RDONLY = 0, O_RDWR = 2, O_CLOEXEC = 0x80000, AT_FDCWD = -100;
    private static final int F_OFD_GETLK = 36, F_OFD_SETLK = 37;
    static final short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    private static final int SEEK_SET = 0;
    static final int SEEK_DATA = 3, SEEK_HOLE = 4;
    static final int ENXIO = 6;
    static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
    static final int EAGAIN = 11, EACCES = 13, EOPNOTSUPP = 95;

    /** System call numbers: x86-64's (arch/x86/entry/syscalls/syscall_64.tbl) and the generic ones aarch64 uses. */
    private record Calls(long openat, long fcntl, long fallocate, long close, long fstat, long lseek) {
        static final Calls X86_64 = new Calls(257, 72, 285, 3, 5, 8);
        static final Calls AARCH64 = new Calls(56, 25, 47, 57, 80, 62);
    }

    // struct flock on LP64 Linux: short l_type; short l_whence; (4 padding) off_t l_start; off_t l_len; pid_t l_pid
    private static final long FLOCK_SIZE = 32, L_TYPE = 0, L_WHENCE = 2, L_START = 8, L_LEN = 16, L_PID = 24;
    /** st_blocks in the kernel's struct stat, on x86-64 and on aarch64 (asm-generic) alike. */
    private static final long ST_BLOCKS = 64, STAT_SIZE = 256;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final long ERRNO = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code long syscall(long number, ...)} with four long arguments, errno captured. */
    private static final MethodHandle SYSCALL;
    private static final Calls CALLS;
    private static final Throwable UNAVAILABLE;

    static {
        MethodHandle syscall = null;
        Calls calls = null;
        Throwable why = null;
        try {
            String arch = System.getProperty("os.arch");
            if (!System.getProperty("os.name").equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
                throw new UnsupportedOperationException("not Linux x86-64/aarch64");
            }
            calls = arch.equals("amd64") ? Calls.X86_64 : Calls.AARCH64;
            Linker linker = Linker.nativeLinker();
            syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                    Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
        } catch (Throwable t) {
            why = t;
        }
        SYSCALL = syscall;
        CALLS = calls;
        UNAVAILABLE = why;
    }

    private final int fd;

    private NativeFile(int fd) {
        this.fd = fd;
    }

    static boolean available() {
        return UNAVAILABLE == null;
    }

    static String unavailableReason() {
        return UNAVAILABLE == null ? "" : String.valueOf(UNAVAILABLE.getMessage());
    }

    /** Opens {@code path}; returns the errno as a negative number's absolute value through the exception. */
    static NativeFile open(Path path, boolean writable) throws NativeError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            long fd = call(arena, CALLS.openat(), AT_FDCWD, name.address(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeError("open", (int) -fd);
            }
            return new NativeFile((int) fd);
        }
    }

    /** One system call: its result, or minus the errno when it failed. */
    private static long call(Arena arena, long number, long a, long b, long c, long d) {
        MemorySegment state = arena.allocate(CAPTURE);
        try {
            long rc = (long) SYSCALL.invokeExact(state, number, a, b, c, d);
            return rc == -1 ? -state.get(ValueLayout.JAVA_INT, ERRNO) : rc;
        } catch (Throwable t) {
            throw new IllegalStateException("native system call " + number + " failed", t);
        }
    }

    /** F_OFD_SETLK on one byte: type is F_RDLCK, F_WRLCK or F_UNLCK. */
    void setLock(long offset, short type) throws NativeError {
        int rc = lockCall(F_OFD_SETLK, offset, type, null);
        if (rc != 0) {
            throw new NativeError("fcntl(F_OFD_SETLK)", rc);
        }
    }

    /** F_OFD_GETLK on one byte: true when another open file description holds a conflicting lock. */
    boolean conflicts(long offset, short type) throws NativeError {
        short[] result = new short[1];
        int rc = lockCall(F_OFD_GETLK, offset, type, result);
        if (rc != 0) {
            throw new NativeError("fcntl(F_OFD_GETLK)", rc);
        }
        return result[0] != F_UNLCK;
    }

    private int lockCall(int cmd, long offset, short type, short[] result) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fl = arena.allocate(FLOCK_SIZE, 8); // zeroed: l_pid must be 0 for OFD locks
            fl.set(ValueLayout.JAVA_SHORT, L_TYPE, type);
            fl.set(ValueLayout.JAVA_SHORT, L_WHENCE, (short) SEEK_SET);
            fl.set(ValueLayout.JAVA_LONG, L_START, offset);
            fl.set(ValueLayout.JAVA_LONG, L_LEN, 1L);
            fl.set(ValueLayout.JAVA_INT, L_PID, 0);
            long rc = call(arena, CALLS.fcntl(), fd, cmd, fl.address(), 0);
            if (rc < 0) {
                return (int) -rc;
            }
            if (result != null) {
                result[0] = fl.get(ValueLayout.JAVA_SHORT, L_TYPE);
            }
            return 0;
        }
    }

    /** fallocate(2); returns 0 or the errno. */
    int fallocate(int mode, long offset, long length) {
        try (Arena arena = Arena.ofConfined()) {
            long rc = call(arena, CALLS.fallocate(), fd, mode, offset, length);
            return rc < 0 ? (int) -rc : 0;
        }
    }

    /**
     * lseek(2) with {@code SEEK_DATA} or {@code SEEK_HOLE}: the offset found, or minus the errno ({@code -ENXIO}
     * when there is no data at or after {@code offset}). The position of this descriptor is never used for I/O.
     */
    long seek(long offset, int whence) {
        try (Arena arena = Arena.ofConfined()) {
            return call(arena, CALLS.lseek(), fd, offset, whence, 0);
        }
    }

    /** st_blocks * 512 from fstat(2), or -1. */
    long allocatedBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STAT_SIZE, 8);
            return call(arena, CALLS.fstat(), fd, st.address(), 0, 0) == 0
                    ? st.get(ValueLayout.JAVA_LONG, ST_BLOCKS) * 512 : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, CALLS.close(), fd, 0, 0, 0);
        }
    }

    /** A failed C library call and its errno. */
    static final class NativeError extends Exception {
        final int errno;

        NativeError(String call, int errno) {
            super(call + " failed: errno " + errno);
            this.errno = errno;
        }
    }
}
