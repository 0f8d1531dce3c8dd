package org.jqmp.block.debug;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jqmp.block.BlockNode;
import org.jqmp.block.Extent;

/**
 * QEMU's {@code blkdebug} driver (7.2, {@code block/blkdebug.c}; {@code docs/devel/blkdebug.rst}): a filter over
 * its {@code image} child whose rules fail selected requests.
 *
 * <p>How the rules work, as in QEMU: an event ({@link #fire}) arms the inject-error rules written for it (those
 * whose {@code state} is 0 or the filter's current state); they replace the rules armed before, but only when the
 * event has such rules. A request checks the armed rules in the order they were given; the first that selects it
 * decides: errno 0 lets it pass, any other errno fails it with {@link InjectedIoError}; a {@code once} rule is then
 * dropped for good. Armed rules stay armed until another event replaces them, so a {@code read_aio} rule without
 * {@code iotype} also fails the writes that follow it. Set-state rules move the state (it starts at 1).
 *
 * <p>Who fires events: a format driver on top fires them on its file child (see {@link #underFormat}); the generic
 * write path fires {@code pwritev}/{@code pwritev_zero} before and {@code pwritev_done} after every write to this
 * node, which {@link #write} and {@link #writeZeroes} do themselves. All methods are thread-safe: the rule state is
 * guarded by one lock, the I/O runs outside it.
 */
public final class BlkdebugFilter implements BlockNode {
    private final BlockNode image;
    private final String configFile;
    private final Map<DebugEvent, List<InjectErrorRule>> injectRules = new EnumMap<>(DebugEvent.class);
    private final Map<DebugEvent, List<SetStateRule>> stateRules = new EnumMap<>(DebugEvent.class);
    private final Object lock = new Object();
    private List<InjectErrorRule> armed = new ArrayList<>();
    private long state = 1;

    /**
     * @param image      the child every request goes to (owned: closing the filter closes it)
     * @param configFile the {@code config} file the rules came from, or null (it only shows in the filename)
     */
    public BlkdebugFilter(BlockNode image, List<InjectErrorRule> injectErrors, List<SetStateRule> setStates,
                          String configFile) {
        this.image = image;
        this.configFile = configFile;
        for (InjectErrorRule r : injectErrors) {
            injectRules.computeIfAbsent(r.event(), e -> new ArrayList<>()).add(r);
        }
        for (SetStateRule r : setStates) {
            stateRules.computeIfAbsent(r.event(), e -> new ArrayList<>()).add(r);
        }
    }

    /** {@code blkdebug_debug_event}: arms the event's inject-error rules and applies its set-state rules. */
    public void fire(DebugEvent event) {
        synchronized (lock) {
            List<InjectErrorRule> matching = new ArrayList<>();
            for (InjectErrorRule r : injectRules.getOrDefault(event, List.of())) {
                if (r.state() == 0 || r.state() == state) {
                    matching.add(r);
                }
            }
            if (!matching.isEmpty()) {
                armed = matching;
            }
            // QEMU keeps an event's rules newest first and applies each: the first one given is applied last
            for (SetStateRule r : stateRules.getOrDefault(event, List.of())) {
                if (r.state() == 0 || r.state() == state) {
                    state = r.newState();
                    break;
                }
            }
        }
    }

    /** The debug state machine's state (1 until a set-state rule moves it). */
    public long state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The rules armed now, in the order they are checked. */
    public List<InjectErrorRule> armedRules() {
        synchronized (lock) {
            return List.copyOf(armed);
        }
    }

    /** {@code rule_check}: fails the request when an armed rule selects it. */
    private void check(DebugIoType type, long offset, long bytes) {
        InjectErrorRule hit = null;
        synchronized (lock) {
            for (InjectErrorRule r : armed) {
                if (r.selects(type, offset, bytes)) {
                    hit = r;
                    break;
                }
            }
            if (hit == null || hit.errno() == 0) {
                return;
            }
            if (hit.once()) {
                armed.remove(hit);
                injectRules.get(hit.event()).remove(hit);
            }
        }
        if (hit.errno() > 0) { // QEMU returns -errno: a negative errno reads as success
            throw new InjectedIoError(filename(), offset, hit.errno(), type);
        }
    }

    /**
     * This filter as a format driver's file child sees it: QEMU's raw and qcow2 drivers fire {@code read_aio}
     * before a read, {@code write_aio} before a write, and a flush fires {@code flush_to_os} then
     * {@code flush_to_disk} on the child first; requests go to {@code route} (this filter, or a wrapper of it that
     * must not be closed with the parent).
     */
    public static BlockNode underFormat(BlkdebugFilter filter, BlockNode route) {
        return new FormatEvents(filter, route);
    }

    /**
     * Tells a view from {@link #underFormat} that its format is open: from now on its requests fire events (the
     * format's open-time metadata I/O fires none, as in QEMU). Any other node is left as it is.
     */
    public static void formatOpened(BlockNode view) {
        if (view instanceof FormatEvents events) {
            events.start();
        }
    }

    /** The image child. */
    public BlockNode image() {
        return image;
    }

    /** QEMU's plain name for a node without inline rules: {@code blkdebug:CONFIG:IMAGE}. */
    @Override
    public String filename() {
        return "blkdebug:" + (configFile == null ? "" : configFile) + ":" + image.filename();
    }

    @Override
    public String driverName() {
        return "blkdebug";
    }

    @Override
    public long size() {
        return image.size();
    }

    @Override
    public boolean isReadOnly() {
        return image.isReadOnly();
    }

    @Override
    public void read(long offset, MemorySegment dst) {
        check(DebugIoType.READ, offset, dst.byteSize());
        image.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) {
        fire(DebugEvent.PWRITEV);
        try {
            check(DebugIoType.WRITE, offset, src.byteSize());
            image.write(offset, src);
        } finally {
            fire(DebugEvent.PWRITEV_DONE);
        }
    }

    @Override
    public void writeZeroes(long offset, long length) {
        fire(DebugEvent.PWRITEV_ZERO);
        try {
            check(DebugIoType.WRITE_ZEROES, offset, length);
            image.writeZeroes(offset, length);
        } finally {
            fire(DebugEvent.PWRITEV_DONE);
        }
    }

    @Override
    public void discard(long offset, long length) {
        check(DebugIoType.DISCARD, offset, length);
        image.discard(offset, length);
    }

    @Override
    public void flush() {
        check(DebugIoType.FLUSH, 0, 0);
        image.flush();
    }

    @Override
    public void resize(long newSize) {
        image.resize(newSize);
    }

    @Override
    public Extent status(long offset, long length) {
        check(DebugIoType.BLOCK_STATUS, offset, length);
        return image.status(offset, length);
    }

    @Override
    public Optional<BlockNode> file() {
        return Optional.of(image);
    }

    /** Unknown: QEMU's blkdebug is a protocol driver without an allocated-size callback (no actual-size). */
    @Override
    public long allocatedSize() {
        return -1;
    }

    @Override
    public void close() {
        image.close();
    }
}
