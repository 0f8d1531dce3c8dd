package org.jqmp.machine.block;

import java.lang.foreign.MemorySegment;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;

/**
 * A node as an export or another user outside the drives sees it: requests go straight to the driver, and
 * writes move the node's {@code wr_highest_offset} (and its write threshold), as every write to a node does in
 * QEMU. The node stays open when the user lets go of it.
 */
final class NodeWrites implements BlockNode {
    private final Node node;
    private final BlockNode driver;

    NodeWrites(Node node) {
        this.node = node;
        this.driver = node.driver();
    }

    @Override
    public String filename() {
        return driver.filename();
    }

    @Override
    public String driverName() {
        return driver.driverName();
    }

    @Override
    public long size() {
        return driver.size();
    }

    @Override
    public boolean isReadOnly() {
        return driver.isReadOnly();
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        driver.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        driver.write(offset, src);
        node.wrote(offset + src.byteSize());
    }

    @Override
    public void writeZeroes(long offset, long length) {
        driver.writeZeroes(offset, length);
        node.wrote(offset + length);
    }

    @Override
    public void discard(long offset, long length) {
        driver.discard(offset, length);
    }

    @Override
    public void flush() {
        driver.flush();
    }

    @Override
    public void resize(long newSize) {
        driver.resize(newSize);
    }

    @Override
    public Extent status(long offset, long length) {
        return driver.status(offset, length);
    }

    @Override
    public long allocatedSize() {
        return driver.allocatedSize();
    }

    @Override
    public java.util.Optional<BlockNode> backing() {
        return driver.backing();
    }

    @Override
    public java.util.Optional<BlockNode> file() {
        return driver.file();
    }

    /** The node belongs to the graph, not to the export. */
    @Override
    public void close() {
    }
}
