package org.jqmp.block;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * One node of a block graph: a protocol driver (file) or a format driver (raw, qcow2) on top of one.
 * Every method is safe to call from many threads at once; the asynchronous variants run the request on a
 * virtual thread and complete the future when the bytes are where they should be (for writes: written to
 * the file, durable only after {@link #flush()}).
 *
 * <p>Data moves through {@link MemorySegment}s: a native segment (for example from {@link NativeBuffers}) goes
 * between the page cache and the caller's memory with no copy in Java; the {@code byte[]} methods wrap the array
 * in a heap segment, for which the JDK adds one copy through a temporary direct buffer.
 */
public interface BlockNode extends AutoCloseable {

    /** Runs the asynchronous requests of every node: one virtual thread per request. */
    Executor IO = Executors.newVirtualThreadPerTaskExecutor();

    /** The file name as given when the node was opened. */
    String filename();

    /** QEMU's driver name: {@code file}, {@code raw}, {@code qcow2}. */
    String driverName();

    /** Virtual size in bytes (what the guest sees). */
    long size();

    boolean isReadOnly();

    /** Reads {@code dst.byteSize()} guest bytes at {@code offset} into {@code dst}. */
    void read(long offset, MemorySegment dst);

    /** Writes the bytes of {@code src} at guest offset {@code offset}. */
    void write(long offset, MemorySegment src);

    default void read(long offset, byte[] buf, int off, int len) {
        read(offset, MemorySegment.ofArray(buf).asSlice(off, len));
    }

    default void write(long offset, byte[] buf, int off, int len) {
        write(offset, MemorySegment.ofArray(buf).asSlice(off, len));
    }

    /** Makes the range read as zeroes, without allocating where the format can say "zero". */
    void writeZeroes(long offset, long length);

    /** Drops the range: afterwards its content is unspecified (qcow2: zeroes or the backing file's). */
    void discard(long offset, long length);

    /** Everything acknowledged before this call is on stable storage when it returns. */
    void flush();

    /** Grows (or for raw and file, also shrinks) the virtual size. */
    void resize(long newSize);

    /** The allocation state of this layer at {@code offset}, for a run of at most {@code length} bytes. */
    Extent status(long offset, long length);

    /** The backing node, if this format has one. */
    default Optional<BlockNode> backing() {
        return Optional.empty();
    }

    /** The node below a format driver (its file), or empty for a protocol driver. */
    default Optional<BlockNode> file() {
        return Optional.empty();
    }

    /** Bytes the image really occupies on disk (qemu-img's "disk size" / actual-size). */
    long allocatedSize();

    @Override
    void close();

    default CompletableFuture<Void> readAsync(long offset, byte[] buf, int off, int len) {
        return CompletableFuture.runAsync(() -> read(offset, buf, off, len), IO);
    }

    default CompletableFuture<Void> writeAsync(long offset, byte[] buf, int off, int len) {
        return CompletableFuture.runAsync(() -> write(offset, buf, off, len), IO);
    }

    default CompletableFuture<Void> readAsync(long offset, MemorySegment dst) {
        return CompletableFuture.runAsync(() -> read(offset, dst), IO);
    }

    default CompletableFuture<Void> writeAsync(long offset, MemorySegment src) {
        return CompletableFuture.runAsync(() -> write(offset, src), IO);
    }

    default CompletableFuture<Void> writeZeroesAsync(long offset, long length) {
        return CompletableFuture.runAsync(() -> writeZeroes(offset, length), IO);
    }

    default CompletableFuture<Void> discardAsync(long offset, long length) {
        return CompletableFuture.runAsync(() -> discard(offset, length), IO);
    }

    default CompletableFuture<Void> flushAsync() {
        return CompletableFuture.runAsync(this::flush, IO);
    }

    /** Reads {@code len} bytes at {@code offset} into a new array. */
    default byte[] read(long offset, int len) {
        byte[] buf = new byte[len];
        read(offset, buf, 0, len);
        return buf;
    }
}
