package org.jqmp.block.raw;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import org.jqmp.block.BlockException;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;

/**
 * QEMU's {@code raw} format driver: the guest sees the file's bytes, optionally only a window of them
 * ({@code offset}, {@code size} options, as QEMU's raw driver). Without a size the window follows the file.
 */
public final class RawFormat implements BlockNode {
    private final BlockNode file;
    private final long windowOffset;
    private final long windowSize; // -1: to the end of the file

    public RawFormat(BlockNode file, long offset, long size) {
        if (offset < 0 || size < -1) {
            throw new BlockException(file.filename(), "raw: offset and size must not be negative");
        }
        if (size >= 0 && offset + size > file.size()) {
            throw new BlockException(file.filename(), "The sum of offset (" + offset + ") and size (" + size
                    + ") has to be smaller or equal to the  actual size of the containing file (" + file.size() + ")");
        }
        this.file = file;
        this.windowOffset = offset;
        this.windowSize = size;
    }

    public RawFormat(BlockNode file) {
        this(file, 0, -1);
    }

    @Override
    public String filename() {
        return file.filename();
    }

    @Override
    public String driverName() {
        return "raw";
    }

    @Override
    public long size() {
        return windowSize >= 0 ? windowSize : Math.max(0, file.size() - windowOffset);
    }

    @Override
    public boolean isReadOnly() {
        return file.isReadOnly();
    }

    private void check(long offset, long len) {
        if (offset < 0 || len < 0 || (windowSize >= 0 && offset + len > windowSize)) {
            throw new BlockException(filename(), offset, "Request [" + offset + ", +" + len
                    + ") is outside the image of " + size() + " bytes", null);
        }
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        check(offset, dst.byteSize());
        file.read(windowOffset + offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        check(offset, src.byteSize());
        file.write(windowOffset + offset, src);
    }

    @Override
    public void writeZeroes(long offset, long length) {
        check(offset, length);
        file.writeZeroes(windowOffset + offset, length);
    }

    @Override
    public void discard(long offset, long length) {
        check(offset, length);
        file.discard(windowOffset + offset, length);
    }

    @Override
    public void flush() {
        file.flush();
    }

    @Override
    public void resize(long newSize) {
        if (windowOffset != 0 || windowSize >= 0) {
            throw new BlockException(filename(), "Cannot resize a raw image with an offset or size window");
        }
        file.resize(newSize);
    }

    /** What the file says at the same place (QEMU's raw format passes block status through to its file). */
    @Override
    public Extent status(long offset, long length) {
        long len = Math.max(0, Math.min(length, size() - offset));
        Extent x = file.status(windowOffset + offset, len);
        long run = x.length() > 0 ? Math.min(len, x.length()) : len;
        return new Extent(offset, run, x.state(), windowOffset + offset, false);
    }

    @Override
    public Optional<BlockNode> file() {
        return Optional.of(file);
    }

    @Override
    public long allocatedSize() {
        return file.allocatedSize();
    }

    @Override
    public void close() {
        file.close();
    }
}
