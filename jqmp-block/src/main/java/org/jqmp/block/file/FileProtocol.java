package org.jqmp.block.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;
import org.jqmp.block.NativeBuffers;

/**
 * QEMU's {@code file} protocol driver: a host file, read and written positionally through a
 * {@link FileChannel} (thread safe: positional I/O does not share a file position). Discard punches holes
 * and write-zeroes uses {@code fallocate} through {@link NativeFile} where the platform has it; locking is
 * QEMU's OFD lock-byte scheme ({@link ImageLock}).
 */
public final class FileProtocol implements BlockNode {
    /** Largest single pread/pwrite (Linux transfers at most 2 GiB - 4 KiB per call anyway). */
    private static final long MAX_IO = 1 << 30;

    private final Path path;
    private final String name;
    private final boolean readOnly;
    private final RandomAccessFile raf;
    private final FileChannel channel;
    private final NativeFile nativeFd;
    private final ImageLock lock;
    private volatile boolean closed;
    private volatile boolean flushesIgnored;

    private FileProtocol(Path path, String name, boolean readOnly, RandomAccessFile raf, NativeFile nativeFd,
                         ImageLock lock) {
        this.path = path;
        this.name = name;
        this.readOnly = readOnly;
        this.raf = raf;
        this.channel = raf.getChannel();
        this.nativeFd = nativeFd;
        this.lock = lock;
    }

    /**
     * Opens {@code path}. {@code name} is how errors call it (the name the user gave).
     *
     * @throws org.jqmp.block.ImageLockedException when another user holds a conflicting lock
     */
    public static FileProtocol open(Path path, String name, boolean readOnly, boolean locking, boolean forceShare) {
        RandomAccessFile raf = openFile(path, name, readOnly);
        NativeFile nf = null;
        ImageLock lock = null;
        try {
            if (NativeFile.available()) {
                nf = NativeFile.open(path, !readOnly);
                if (locking) {
                    lock = ImageLock.acquire(nf, name, ImageLock.permsFor(readOnly), ImageLock.sharedFor(forceShare));
                }
            }
            return new FileProtocol(path, name, readOnly, raf, nf, lock);
        } catch (NativeFile.NativeError | RuntimeException e) {
            closeQuietly(raf);
            if (nf != null) {
                nf.close();
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new BlockException(name, "Could not open '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * QEMU's {@code bdrv_reopen} of a file node in the other mode (a commit job makes its read-only base writable,
     * and read-only again after): a second descriptor of the same file, opened in {@code readOnly} mode, takes
     * over this one's lock bytes. OFD locks belong to the open file description, so this node's bytes are
     * released first (else the new descriptor would conflict with its own process) and taken back if the new
     * permissions conflict with another user. This node stays usable for requests in flight; the caller swaps the
     * new node in and then closes this one.
     *
     * @throws org.jqmp.block.ImageLockedException when another process holds a conflicting lock
     */
    public FileProtocol reopen(boolean readOnly) {
        RandomAccessFile newRaf = openFile(path, name, readOnly);
        NativeFile nf = null;
        try {
            ImageLock newLock = null;
            if (nativeFd != null) {
                nf = NativeFile.open(path, !readOnly);
                if (lock != null) {
                    lock.close();
                    try {
                        newLock = ImageLock.acquire(nf, name, ImageLock.permsFor(readOnly), ImageLock.sharedFor(false));
                    } catch (RuntimeException e) {
                        ImageLock.acquire(nativeFd, name, ImageLock.permsFor(this.readOnly), ImageLock.sharedFor(false));
                        throw e;
                    }
                }
            }
            return new FileProtocol(path, name, readOnly, newRaf, nf, newLock);
        } catch (NativeFile.NativeError | RuntimeException e) {
            closeQuietly(newRaf);
            if (nf != null) {
                nf.close();
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new BlockException(name, "Could not reopen '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Whether QEMU-compatible OFD locking is in force on this platform (else: no locking). */
    public static boolean lockingAvailable() {
        return NativeFile.available();
    }

    private static RandomAccessFile openFile(Path path, String name, boolean readOnly) {
        try {
            if (Files.isDirectory(path)) {
                throw new BlockException(name, "Could not open '" + name + "': Is a directory");
            }
            if (!Files.exists(path)) {
                // "rw" would create it: opening never creates an image (QEMU opens without O_CREAT)
                throw new BlockException(name, "Could not open '" + name + "': No such file or directory");
            }
            return new RandomAccessFile(path.toFile(), readOnly ? "r" : "rw");
        } catch (IOException e) {
            String why = !Files.exists(path) ? "No such file or directory"
                    : !Files.isWritable(path) && !readOnly ? "Permission denied" : e.getMessage();
            throw new BlockException(name, "Could not open '" + name + "': " + why, e);
        }
    }

    /** Creates (or truncates) a file of {@code size} bytes, as QEMU's file driver does for {@code create}. */
    public static void create(Path path, String name, long size) {
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.setLength(0);
            raf.setLength(size);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw new BlockException(name, "Could not create '" + name + "': " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BlockException(name, "Could not create '" + name + "': " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public String filename() {
        return name;
    }

    @Override
    public String driverName() {
        return "file";
    }

    @Override
    public long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw ioError("size", -1, e);
        }
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Reads; bytes past the end of the file read as zeroes (as QEMU's file driver). A native segment is read into
     * directly (pread into the caller's memory); a heap segment goes through the JDK's temporary direct buffer.
     */
    @Override
    public void read(long offset, MemorySegment dst) {
        for (long done = 0; done < dst.byteSize(); ) {
            ByteBuffer bb = dst.asSlice(done, Math.min(dst.byteSize() - done, MAX_IO)).asByteBuffer();
            try {
                while (bb.hasRemaining()) {
                    if (channel.read(bb, offset + done + bb.position()) < 0) {
                        dst.asSlice(done + bb.position()).fill((byte) 0);
                        return;
                    }
                }
            } catch (IOException e) {
                throw ioError("read", offset, e);
            }
            done += bb.limit();
        }
    }

    @Override
    public void write(long offset, MemorySegment src) {
        checkWritable();
        for (long done = 0; done < src.byteSize(); ) {
            ByteBuffer bb = src.asSlice(done, Math.min(src.byteSize() - done, MAX_IO)).asByteBuffer();
            try {
                while (bb.hasRemaining()) {
                    channel.write(bb, offset + done + bb.position());
                }
            } catch (IOException e) {
                throw ioError("write", offset, e);
            }
            done += bb.limit();
        }
    }

    /** Zeroes: punches a hole inside the file (reads back as zeroes), else writes zero buffers. */
    @Override
    public void writeZeroes(long offset, long length) {
        checkWritable();
        long inside = Math.max(0, Math.min(offset + length, size()) - offset);
        if (inside > 0 && punch(offset, inside)) {
            offset += inside;
            length -= inside;
        }
        while (length > 0) {
            long n = Math.min(length, NativeBuffers.maxZeroes());
            write(offset, NativeBuffers.zeroes(n));
            offset += n;
            length -= n;
        }
    }

    /** Discard is advisory (as in QEMU): a punched hole where the platform can, nothing otherwise. */
    @Override
    public void discard(long offset, long length) {
        checkWritable();
        long inside = Math.max(0, Math.min(offset + length, size()) - offset);
        if (inside > 0) {
            punch(offset, inside);
        }
    }

    private boolean punch(long offset, long length) {
        return nativeFd != null
                && nativeFd.fallocate(NativeFile.FALLOC_FL_PUNCH_HOLE | NativeFile.FALLOC_FL_KEEP_SIZE, offset, length) == 0;
    }

    /** Reserves space (preallocation=falloc); false when the platform cannot. */
    public boolean allocate(long offset, long length) {
        checkWritable();
        return nativeFd != null && nativeFd.fallocate(0, offset, length) == 0;
    }

    /**
     * QEMU's {@code cache=unsafe} from now on: {@link #flush()} returns at once, nothing is synced (what
     * {@code qemu-img convert} does by default; a crash may then lose or tear what was written).
     */
    public void ignoreFlushes() {
        flushesIgnored = true;
    }

    @Override
    public void flush() {
        if (readOnly || flushesIgnored) {
            return;
        }
        try {
            channel.force(false); // fdatasync: also covers a changed file size
        } catch (IOException e) {
            throw ioError("flush", -1, e);
        }
    }

    @Override
    public void resize(long newSize) {
        checkWritable();
        try {
            raf.setLength(newSize);
        } catch (IOException e) {
            throw ioError("truncate", newSize, e);
        }
    }

    /**
     * Data or hole, as QEMU's file driver answers block status: {@code SEEK_DATA} then {@code SEEK_HOLE} from
     * {@code offset}; a hole (also the trailing one, ENXIO) reads as zeroes. Without the native calls, or when the
     * file system cannot say, everything is data.
     */
    @Override
    public Extent status(long offset, long length) {
        long len = Math.max(0, Math.min(length, size() - offset));
        if (nativeFd == null || len == 0) {
            return new Extent(offset, len, Extent.State.DATA, offset, false);
        }
        long data = nativeFd.seek(offset, NativeFile.SEEK_DATA);
        if (data == -NativeFile.ENXIO) {
            return new Extent(offset, len, Extent.State.ZERO, offset, false);
        }
        if (data < 0) {
            return new Extent(offset, len, Extent.State.DATA, offset, false);
        }
        if (data > offset) {
            return new Extent(offset, Math.min(len, data - offset), Extent.State.ZERO, offset, false);
        }
        long hole = nativeFd.seek(offset, NativeFile.SEEK_HOLE);
        long run = hole > offset ? Math.min(len, hole - offset) : len;
        return new Extent(offset, run, Extent.State.DATA, offset, false);
    }

    @Override
    public long allocatedSize() {
        long n = nativeFd == null ? -1 : nativeFd.allocatedBytes();
        return n >= 0 ? n : size();
    }

    private void checkWritable() {
        if (readOnly) {
            throw new BlockException(name, "Image '" + name + "' is read-only");
        }
    }

    private BlockException ioError(String op, long offset, IOException e) {
        return new BlockException(name, offset, "Could not " + op + " '" + name + "'"
                + (offset >= 0 ? " at offset " + offset : "") + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(RandomAccessFile raf) {
        try {
            raf.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(raf);
        if (lock != null) {
            lock.close();
        }
        if (nativeFd != null) {
            nativeFd.close();
        }
    }
}
