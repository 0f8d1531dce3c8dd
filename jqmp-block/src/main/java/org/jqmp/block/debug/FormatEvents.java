package org.jqmp.block.debug;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;

/**
 * A blkdebug filter seen from the format driver above it: fires the events QEMU's raw driver fires on its file
 * ({@code read_aio}, {@code write_aio}; {@code flush_to_os} and {@code flush_to_disk} from {@code bdrv_co_flush}),
 * then passes the request on. It fires nothing until the format is open: QEMU's formats read and write their
 * metadata at open time without these events (qcow2's header and tables), so a rule cannot fail an open.
 */
final class FormatEvents implements BlockNode {
    private final BlkdebugFilter filter;
    private final BlockNode route;
    private volatile boolean firing;

    FormatEvents(BlkdebugFilter filter, BlockNode route) {
        this.filter = filter;
        this.route = route;
    }

    void start() {
        firing = true;
    }

    private void fire(DebugEvent event) {
        if (firing) {
            filter.fire(event);
        }
    }

    @Override
    public String filename() {
        return route.filename();
    }

    @Override
    public String driverName() {
        return route.driverName();
    }

    @Override
    public long size() {
        return route.size();
    }

    @Override
    public boolean isReadOnly() {
        return route.isReadOnly();
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        fire(DebugEvent.READ_AIO);
        route.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        fire(DebugEvent.WRITE_AIO);
        route.write(offset, src);
    }

    @Override
    public void writeZeroes(long offset, long length) {
        route.writeZeroes(offset, length);
    }

    @Override
    public void discard(long offset, long length) {
        route.discard(offset, length);
    }

    @Override
    public void flush() {
        fire(DebugEvent.FLUSH_TO_OS);
        fire(DebugEvent.FLUSH_TO_DISK);
        route.flush();
    }

    @Override
    public void resize(long newSize) {
        route.resize(newSize);
    }

    @Override
    public Extent status(long offset, long length) {
        return route.status(offset, length);
    }

    @Override
    public Optional<BlockNode> file() {
        return route.file();
    }

    @Override
    public long allocatedSize() {
        return route.allocatedSize();
    }

    @Override
    public void close() {
        route.close();
    }
}
