package org.jqmp.block.file;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * A second file descriptor on an image, opened through the C library with the JDK's foreign function API,
 * for what {@link java.nio.channels.FileChannel} cannot do: Linux open-file-description locks
 * ({@code F_OFD_SETLK}/{@code F_OFD_GETLK}, the locks QEMU uses, which conflict between two opens even in
 * one process, and with POSIX locks), {@code fallocate} (hole punching, preallocation) and {@code lseek} with
 * {@code SEEK_DATA}/{@code SEEK_HOLE} (where the file has holes, for block status as QEMU's file driver reports it).
 * Linux x86-64 and aarch64 only; {@link #available()} says whether it works here.
 */
final class NativeFile implements AutoCloseable {
    // <fcntl.h>, Linux
    private static final int O_RDONLY = 0, O_RDWR = 2, O_CLOEXEC = 0x80000;
    private static final int F_OFD_GETLK = 36, F_OFD_SETLK = 37;
    static final short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    private static final int SEEK_SET = 0;
    static final int SEEK_DATA = 3, SEEK_HOLE = 4;
    static final int ENXIO = 6;
    static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
    static final int EAGAIN = 11, EACCES = 13, EOPNOTSUPP = 95;

    // struct flock on LP64 Linux: short l_type; short l_whence; off_t l_start; off_t l_len; pid_t l_pid
    private static final StructLayout FLOCK = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("l_type"), ValueLayout.JAVA_SHORT.withName("l_whence"),
            MemoryLayout.paddingLayout(4), ValueLayout.JAVA_LONG.withName("l_start"),
            ValueLayout.JAVA_LONG.withName("l_len"), ValueLayout.JAVA_INT.withName("l_pid"),
            MemoryLayout.paddingLayout(4));
    private static final VarHandle L_TYPE = FLOCK.varHandle(MemoryLayout.PathElement.groupElement("l_type"));
    private static final VarHandle L_WHENCE = FLOCK.varHandle(MemoryLayout.PathElement.groupElement("l_whence"));
    private static final VarHandle L_START = FLOCK.varHandle(MemoryLayout.PathElement.groupElement("l_start"));
    private static final VarHandle L_LEN = FLOCK.varHandle(MemoryLayout.PathElement.groupElement("l_len"));
    private static final VarHandle L_PID = FLOCK.varHandle(MemoryLayout.PathElement.groupElement("l_pid"));

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN, FCNTL, FALLOCATE, CLOSE, FSTAT, LSEEK;
    private static final Throwable UNAVAILABLE;

    static {
        MethodHandle open = null, fcntl = null, fallocate = null, close = null, fstat = null, lseek = null;
        Throwable why = null;
        try {
            String arch = System.getProperty("os.arch");
            if (!System.getProperty("os.name").equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
                throw new UnsupportedOperationException("not Linux x86-64/aarch64");
            }
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            var errno = Linker.Option.captureCallState("errno");
            open = linker.downcallHandle(libc.find("open").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno, Linker.Option.firstVariadicArg(2));
            fcntl = linker.downcallHandle(libc.find("fcntl").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS), errno, Linker.Option.firstVariadicArg(2));
            fallocate = linker.downcallHandle(libc.find("fallocate").orElseThrow(), FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG), errno);
            close = linker.downcallHandle(libc.find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            fstat = linker.downcallHandle(libc.find("fstat").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            lseek = linker.downcallHandle(libc.find("lseek").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), errno);
        } catch (Throwable t) {
            why = t;
        }
        OPEN = open;
        FCNTL = fcntl;
        FALLOCATE = fallocate;
        CLOSE = close;
        FSTAT = fstat;
        LSEEK = lseek;
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
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment name = arena.allocateFrom(path.toString());
            int fd = (int) OPEN.invokeExact(state, name, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeError("open", (int) ERRNO.get(state, 0L));
            }
            return new NativeFile(fd);
        } catch (NativeError e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native open failed", t);
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
            MemorySegment fl = arena.allocate(FLOCK);
            L_TYPE.set(fl, 0L, type);
            L_WHENCE.set(fl, 0L, (short) SEEK_SET);
            L_START.set(fl, 0L, offset);
            L_LEN.set(fl, 0L, 1L);
            L_PID.set(fl, 0L, 0); // must be 0 for OFD locks
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) FCNTL.invokeExact(state, fd, cmd, fl);
            if (rc != 0) {
                return (int) ERRNO.get(state, 0L);
            }
            if (result != null) {
                result[0] = (short) L_TYPE.get(fl, 0L);
            }
            return 0;
        } catch (Throwable t) {
            throw new IllegalStateException("native fcntl failed", t);
        }
    }

    /** fallocate(2); returns 0 or the errno. */
    int fallocate(int mode, long offset, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) FALLOCATE.invokeExact(state, fd, mode, offset, length);
            return rc == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("native fallocate failed", t);
        }
    }

    /**
     * lseek(2) with {@code SEEK_DATA} or {@code SEEK_HOLE}: the offset found, or minus the errno ({@code -ENXIO}
     * when there is no data at or after {@code offset}). The position of this descriptor is never used for I/O.
     */
    long seek(long offset, int whence) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long rc = (long) LSEEK.invokeExact(state, fd, offset, whence);
            return rc >= 0 ? rc : -(int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("native lseek failed", t);
        }
    }

    /** st_blocks * 512 from fstat(2), or -1: st_blocks is at byte 64 of struct stat on x86-64 and aarch64. */
    long allocatedBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(256, 8);
            int rc = (int) FSTAT.invokeExact(fd, st);
            return rc == 0 ? st.get(ValueLayout.JAVA_LONG, 64) * 512 : -1;
        } catch (Throwable t) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("native close failed", t);
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
