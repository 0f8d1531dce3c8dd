package org.jqmp.machine.block;

import java.lang.foreign.MemorySegment;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;

/**
 * A child node another node uses without owning it (a {@code blockdev-add} node named by reference): every
 * request passes through, but closing the parent leaves it open.
 */
final class Borrowed implements BlockNode {
    private final BlockNode node;
    private volatile boolean adopted;

    Borrowed(BlockNode node) {
        this.node = node;
    }

    @Override
    public String filename() {
        return node.filename();
    }

    @Override
    public String driverName() {
        return node.driverName();
    }

    @Override
    public long size() {
        return node.size();
    }

    @Override
    public boolean isReadOnly() {
        return node.isReadOnly();
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        node.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        node.write(offset, src);
    }

    @Override
    public void writeZeroes(long offset, long length) {
        node.writeZeroes(offset, length);
    }

    @Override
    public void discard(long offset, long length) {
        node.discard(offset, length);
    }

    @Override
    public void flush() {
        node.flush();
    }

    @Override
    public void resize(long newSize) {
        node.resize(newSize);
    }

    @Override
    public Extent status(long offset, long length) {
        return node.status(offset, length);
    }

    @Override
    public long allocatedSize() {
        return node.allocatedSize();
    }

    @Override
    public java.util.Optional<BlockNode> backing() {
        return node.backing();
    }

    @Override
    public java.util.Optional<BlockNode> file() {
        return node.file();
    }

    /**
     * From now on the parent owns the node and closes it with itself (an external snapshot's overlay takes over
     * the chain it was put on).
     */
    void adopt() {
        adopted = true;
    }

    /** The owner closes it, unless the parent {@linkplain #adopt adopted} it. */
    @Override
    public void close() {
        if (adopted) {
            node.close();
        }
    }
}
