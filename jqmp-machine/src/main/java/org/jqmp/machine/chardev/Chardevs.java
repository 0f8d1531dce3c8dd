package org.jqmp.machine.chardev;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jqmp.api.ChardevInfo;
import org.jqmp.api.DataFormat;
import org.jqmp.api.runtime.QmpException;

/**
 * The machine's chardevs by id, and which of them have a front end (a serial port) attached. A QMP monitor's
 * chardevs live in the monitor; {@code monitorOwns} tells this set which ids those are, so that they count as
 * existing and busy.
 */
public final class Chardevs implements AutoCloseable {
    private final Map<String, Chardev> byId = new LinkedHashMap<>();
    private final Set<String> frontends = new HashSet<>();
    private final Predicate<String> monitorOwns;

    public Chardevs(Predicate<String> monitorOwns) {
        this.monitorOwns = monitorOwns;
    }

    /** Opens a backend ({@code qemu_chardev_new}); the id must be new. */
    public synchronized Chardev open(ChardevBackend backend) {
        if (byId.containsKey(backend.id()) || monitorOwns.test(backend.id())) {
            throw new ChardevException("attempt to add duplicate property '" + backend.id()
                    + "' to object (type 'container')");
        }
        Chardev chardev = switch (backend) {
            case ChardevBackend.Null n -> new NullChardev(n.id());
            case ChardevBackend.File f -> FileChardev.open(f);
            case ChardevBackend.Ringbuf r -> new RingbufChardev(r);
            case ChardevBackend.Pty p -> PtyChardev.open(p);
            case ChardevBackend.Socket s -> SocketChardev.open(s);
        };
        byId.put(chardev.id(), chardev);
        return chardev;
    }

    /** A front end (a serial port) takes the chardev: {@code frontend-open} true, and it cannot be removed. */
    public synchronized Chardev attachFrontend(String id) {
        Chardev chardev = byId.get(id);
        if (chardev == null) {
            throw new ChardevException("chardev '" + id + "' not found");
        }
        frontends.add(id);
        return chardev;
    }

    public synchronized List<ChardevInfo> infos() {
        List<ChardevInfo> infos = new ArrayList<>();
        byId.values().forEach(c -> infos.add(new ChardevInfo(c.id(), c.filename(), frontends.contains(c.id()))));
        return infos;
    }

    /** {@code qmp_chardev_remove}. */
    public synchronized void remove(String id) {
        if (monitorOwns.test(id) || frontends.contains(id)) {
            throw QmpException.generic("Chardev '" + id + "' is busy");
        }
        Chardev chardev = byId.remove(id);
        if (chardev == null) {
            throw QmpException.generic("Chardev '" + id + "' not found");
        }
        chardev.close();
    }

    /** {@code qmp_ringbuf_write}. */
    public void ringbufWrite(String device, String data, DataFormat format) {
        ringbuf(device).write(data, format == null ? DataFormat.UTF8 : format);
    }

    /** {@code qmp_ringbuf_read}: the device is looked up before the size is checked (QEMU's order). */
    public String ringbufRead(String device, long size, DataFormat format) {
        RingbufChardev ringbuf = ringbuf(device);
        if (size <= 0) {
            throw QmpException.generic("size must be greater than zero");
        }
        return ringbuf.read(size, format == null ? DataFormat.UTF8 : format);
    }

    private synchronized RingbufChardev ringbuf(String device) {
        Chardev chardev = byId.get(device);
        if (chardev == null && !monitorOwns.test(device)) {
            throw QmpException.generic("Device '" + device + "' not found");
        }
        if (!(chardev instanceof RingbufChardev ringbuf)) {
            throw QmpException.generic(device + " is not a ringbuf device");
        }
        return ringbuf;
    }

    @Override
    public synchronized void close() {
        byId.values().forEach(Chardev::close);
        byId.clear();
    }
}
