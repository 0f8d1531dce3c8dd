package org.jqmp.block.qcow2;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bounded cache of L2 tables (QEMU's l2-cache-size), one slot per L1 index, least recently used out first.
 * Evicting a dirty table first calls back into the image, which writes refcounts before L2 tables (see
 * {@link Qcow2Image#flush}).
 *
 * <p>Threads: every change happens under the image's metadata lock. {@link #peek} needs no lock: it is the
 * request path's lookup, a slot read and an offset compare, with no allocation (readers and in-place writers
 * never queue behind the lock while the table they need is cached). Entries are published with release
 * semantics after the data they name is written, and read with acquire semantics. Recency is approximate: a
 * table remembers the miss count at its last use, which only misses advance.
 */
final class L2Cache {
    interface Loader {
        long[] load(long offset);
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Table[].class);

    /** One L2 table: entries decoded to longs. */
    static final class Table {
        private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(long[].class);
        final long offset;
        private final long[] entries;
        /** Changed since written; under the metadata lock. */
        boolean dirty;
        /** The cache's miss count when last used: written without a lock (a hint for eviction). */
        int lastUse;

        Table(long offset, long[] entries) {
            this.offset = offset;
            this.entries = entries;
        }

        long get(int index) {
            return (long) ENTRY.getAcquire(entries, index);
        }

        /** Changes one entry (metadata lock held); lock-free readers see it only after what it names. */
        void set(int index, long entry) {
            ENTRY.setRelease(entries, index, entry);
            dirty = true;
        }

        int length() {
            return entries.length;
        }

        long[] copy() {
            return entries.clone();
        }

        byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(entries.length * 8);
            for (int i = 0; i < entries.length; i++) {
                b.putLong(i * 8, get(i));
            }
            return b.array();
        }
    }

    private final int capacity;
    private final Runnable flushAll;
    private volatile Table[] slots;
    private int[] cached = new int[16];
    private int count;
    private int misses;

    L2Cache(int capacity, int l1Length, Runnable flushAll) {
        this.capacity = Math.max(2, capacity);
        this.flushAll = flushAll;
        this.slots = new Table[l1Length];
    }

    /** The cached table of L1 index {@code l1Index} if it is the one at {@code offset}, else null. No lock. */
    Table peek(int l1Index, long offset) {
        Table[] s = slots;
        if (l1Index >= s.length) {
            return null;
        }
        Table t = (Table) SLOT.getAcquire(s, l1Index);
        if (t == null || t.offset != offset) {
            return null;
        }
        int now = misses;
        if (t.lastUse != now) {
            t.lastUse = now;
        }
        return t;
    }

    /** The table of L1 index {@code l1Index} at {@code offset}, loaded on a miss (metadata lock held). */
    Table get(int l1Index, long offset, Loader loader) {
        Table t = peek(l1Index, offset);
        if (t == null) {
            t = new Table(offset, loader.load(offset));
            insert(l1Index, t);
        }
        return t;
    }

    /** Adds a table just allocated for L1 index {@code l1Index} (dirty). */
    Table create(int l1Index, long offset, long[] entries) {
        Table t = new Table(offset, entries);
        t.dirty = true;
        insert(l1Index, t);
        return t;
    }

    /** Forgets every table (clean ones only: the caller flushed), for an L1 table of {@code l1Length} entries. */
    void clear(int l1Length) {
        slots = new Table[l1Length];
        count = 0;
    }

    /** Makes room for an L1 table grown to {@code l1Length} entries. */
    void growTo(int l1Length) {
        if (l1Length > slots.length) {
            slots = Arrays.copyOf(slots, l1Length);
        }
    }

    private void insert(int l1Index, Table t) {
        misses++;
        Table[] s = slots;
        Table old = (Table) SLOT.getAcquire(s, l1Index);
        if (old == null) {
            if (count >= capacity) {
                evictOne();
            }
            if (count == cached.length) {
                cached = Arrays.copyOf(cached, count * 2);
            }
            cached[count++] = l1Index;
        } else if (old.dirty) {
            flushAll.run(); // the table it replaces must not lose its changes
        }
        t.lastUse = misses;
        SLOT.setRelease(s, l1Index, t);
    }

    private void evictOne() {
        int victim = 0;
        for (int i = 1; i < count; i++) {
            if (slots[cached[i]].lastUse - slots[cached[victim]].lastUse < 0) {
                victim = i;
            }
        }
        if (slots[cached[victim]].dirty) {
            flushAll.run(); // refcounts, then every dirty L2: the evicted one is clean afterwards
        }
        SLOT.setRelease(slots, cached[victim], null);
        cached[victim] = cached[--count];
    }

    /** Every cached table (metadata lock held). */
    List<Table> all() {
        List<Table> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(slots[cached[i]]);
        }
        return all;
    }

    /** The cached table at host offset {@code offset} under any L1 index, or null (metadata lock held). */
    Table findByOffset(long offset) {
        for (int i = 0; i < count; i++) {
            if (slots[cached[i]].offset == offset) {
                return slots[cached[i]];
            }
        }
        return null;
    }
}
