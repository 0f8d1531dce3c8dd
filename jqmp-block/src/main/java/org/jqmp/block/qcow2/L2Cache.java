package org.jqmp.block.qcow2;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded cache of L2 tables (QEMU's l2-cache-size), least recently used first out. Evicting a dirty table
 * first calls back into the image, which writes refcounts before L2 tables (see {@link Qcow2Image#flush}).
 * Not thread safe: used under the image's metadata lock.
 */
final class L2Cache {
    interface Loader {
        long[] load(long offset);
    }

    /** One L2 table: entries decoded to longs. */
    static final class Table {
        final long offset;
        final long[] entries;
        boolean dirty;

        Table(long offset, long[] entries) {
            this.offset = offset;
            this.entries = entries;
        }

        byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(entries.length * 8);
            for (int i = 0; i < entries.length; i++) {
                b.putLong(i * 8, entries[i]);
            }
            return b.array();
        }
    }

    private final int capacity;
    private final Runnable flushAll;
    private final LinkedHashMap<Long, Table> tables = new LinkedHashMap<>(16, 0.75f, true);

    L2Cache(int capacity, Runnable flushAll) {
        this.capacity = Math.max(2, capacity);
        this.flushAll = flushAll;
    }

    Table get(long offset, Loader loader) {
        Table t = tables.get(offset);
        if (t == null) {
            t = new Table(offset, loader.load(offset));
            insert(t);
        }
        return t;
    }

    /** Adds a table just allocated (all entries zero, dirty). */
    Table create(long offset, long[] entries) {
        Table t = new Table(offset, entries);
        t.dirty = true;
        insert(t);
        return t;
    }

    private void insert(Table t) {
        if (tables.size() >= capacity) {
            Map.Entry<Long, Table> eldest = tables.entrySet().iterator().next();
            if (eldest.getValue().dirty) {
                flushAll.run(); // refcounts, then every dirty L2: the evicted one is clean afterwards
            }
            tables.remove(eldest.getKey());
        }
        tables.put(t.offset, t);
    }

    Iterable<Table> all() {
        return tables.values();
    }

    void drop(long offset) {
        tables.remove(offset);
    }

    boolean contains(long offset) {
        return tables.containsKey(offset);
    }
}
