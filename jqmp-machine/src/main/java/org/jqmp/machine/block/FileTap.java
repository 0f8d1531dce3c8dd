package org.jqmp.machine.block;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;

/**
 * A protocol node as the machine sees it: the file driver with QEMU's per-node counters around it - the highest
 * offset written ({@code wr_highest_offset}) and the file driver's discard counts ({@code driver-specific} of
 * {@code query-blockstats}: {@code discard-nb-ok}, {@code discard-nb-failed}, {@code discard-bytes-ok}).
 */
final class FileTap implements BlockNode {
    private volatile BlockNode file;
    final AtomicLong wrHighestOffset = new AtomicLong();
    final AtomicLong discardOk = new AtomicLong();
    final AtomicLong discardFailed = new AtomicLong();
    final AtomicLong discardBytesOk = new AtomicLong();

    FileTap(BlockNode file) {
        this.file = file;
    }

    BlockNode inner() {
        return file;
    }

    /**
     * Reopens the file in the other mode ({@code bdrv_reopen}, for a commit job's base): the new descriptor takes
     * the old one's place, then the old one closes.
     */
    void reopen(boolean readOnly) {
        if (file.isReadOnly() == readOnly) {
            return;
        }
        if (!(file instanceof org.jqmp.block.file.FileProtocol old)) {
            throw new org.jqmp.block.BlockException(file.filename(), "Cannot reopen '" + file.filename() + "'");
        }
        file = old.reopen(readOnly);
        old.close();
    }

    @Override
    public String filename() {
        return file.filename();
    }

    @Override
    public String driverName() {
        return file.driverName();
    }

    @Override
    public long size() {
        return file.size();
    }

    @Override
    public boolean isReadOnly() {
        return file.isReadOnly();
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        file.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        file.write(offset, src);
        wrHighestOffset.accumulateAndGet(offset + src.byteSize(), Math::max);
    }

    @Override
    public void writeZeroes(long offset, long length) {
        file.writeZeroes(offset, length);
        wrHighestOffset.accumulateAndGet(offset + length, Math::max);
    }

    @Override
    public void discard(long offset, long length) {
        try {
            file.discard(offset, length);
        } catch (RuntimeException e) {
            discardFailed.incrementAndGet();
            throw e;
        }
        discardOk.incrementAndGet();
        discardBytesOk.addAndGet(length);
    }

    @Override
    public void flush() {
        file.flush();
    }

    @Override
    public void resize(long newSize) {
        file.resize(newSize);
    }

    @Override
    public Extent status(long offset, long length) {
        return file.status(offset, length);
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
