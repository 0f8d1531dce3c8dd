package org.jqmp.machine.chardev;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jqmp.api.ChardevInfo;
import org.jqmp.api.ChardevReturn;
import org.jqmp.api.DataFormat;
import org.jqmp.api.runtime.ErrorClass;
import org.jqmp.api.runtime.QmpException;

/**
 * The machine's chardevs by id, and which of them have a front end (a serial port, or a mux on top) attached.
 * A QMP monitor's chardevs live in the monitor; {@code monitorOwns} tells this set which ids those are, so that
 * they count as existing and busy.
 */
public final class Chardevs implements AutoCloseable {
    private final Map<String, Chardev> byId = new LinkedHashMap<>();
    private final Set<String> frontends = new HashSet<>();
    private final Predicate<String> monitorOwns;
    private ChardevYank yank = ChardevYank.NONE;
    private Consumer<String> warnings = message -> System.err.println("jqmp: " + message);
    private Runnable terminate = () -> { };
    /** {@link #muxesOpened()} was called: start-up is over. */
    private boolean started;
    /** Human monitors on chardevs of their own (no mux), and those chardevs, in the same order. */
    private final List<HumanMonitorTerminal> ownTerminals = new ArrayList<>();
    private final List<Chardev> ownTerminalChardevs = new ArrayList<>();

    public Chardevs(Predicate<String> monitorOwns) {
        this.monitorOwns = monitorOwns;
    }

    /** Where socket chardevs register with yank; set before any socket chardev opens. */
    public synchronized void useYank(ChardevYank value) {
        this.yank = Objects.requireNonNull(value);
    }

    /** Where reports that are not a command's error go (a reconnecting client's first failure). */
    public synchronized void useWarnings(Consumer<String> value) {
        this.warnings = Objects.requireNonNull(value);
    }

    /** What a mux's {@code Ctrl-A x} does after QEMU's farewell (end the process); nothing by default. */
    public synchronized void useTerminate(Runnable value) {
        this.terminate = Objects.requireNonNull(value);
    }

    /** Opens a backend ({@code qemu_chardev_new}) for the command line; the id must be new. */
    public synchronized Chardev open(ChardevBackend backend) {
        if (exists(backend.id())) {
            throw new ChardevException("attempt to add duplicate property '" + backend.id()
                    + "' to object (type 'container')");
        }
        Chardev chardev = create(backend);
        byId.put(chardev.id(), chardev);
        return chardev;
    }

    /**
     * As {@link #open(ChardevBackend)}, with a {@code logfile}: the log is opened first, as QEMU's
     * {@code qemu_char_open} does, and closed again if the backend fails.
     */
    public synchronized Chardev open(ChardevBackend backend, java.nio.file.Path logfile, boolean append) {
        ChardevLog log = ChardevLog.open(logfile, append);
        try {
            Chardev chardev = open(backend);
            chardev.logTo(log);
            return chardev;
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** A backend from QMP, with its log (opened first); the log is closed again if the backend fails. */
    private Chardev create(String id, org.jqmp.api.ChardevBackend backend, Function<String, OptionalInt> fds) {
        ChardevLog log = QapiBackends.log(backend);
        try {
            Chardev chardev = create(QapiBackends.of(id, backend, fds));
            chardev.logTo(log);
            return chardev;
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private boolean exists(String id) {
        return byId.containsKey(id) || monitorOwns.test(id);
    }

    private Chardev create(ChardevBackend backend) {
        return switch (backend) {
            case ChardevBackend.Null n -> new NullChardev(n.id());
            case ChardevBackend.File f -> FileChardev.open(f);
            case ChardevBackend.Ringbuf r -> new RingbufChardev(r);
            case ChardevBackend.Pty p -> PtyChardev.open(p);
            case ChardevBackend.Socket s -> openSocket(s);
            case ChardevBackend.Mux m -> openMux(m);
            case ChardevBackend.Stdio s -> StdioChardev.open(s);
        };
    }

    /** A socket chardev is a yank instance from before it connects until it is removed (char-socket.c). */
    private Chardev openSocket(ChardevBackend.Socket socket) {
        yank.register(socket.id());
        try {
            return SocketChardev.open(socket, yank, warnings);
        } catch (RuntimeException e) {
            yank.unregister(socket.id());
            throw e;
        }
    }

    /** {@code mux_chr_open}: the base must exist and have no front end (a mux on a mux is allowed). */
    private Chardev openMux(ChardevBackend.Mux mux) {
        Chardev base = byId.get(mux.base());
        if (base == null && !monitorOwns.test(mux.base())) {
            throw new ChardevException("mux: base chardev " + mux.base() + " not found");
        }
        if (base == null || held(mux.base())) {
            throw new ChardevException("Device '" + mux.base() + "' is in use");
        }
        MuxChardev opened = new MuxChardev(mux.id(), base, () -> terminate.run());
        if (started) {
            opened.startUp(); // chardev-add after start-up: QEMU's muxes_opened is long true
        }
        return opened;
    }

    /** A front end, or a mux on top, holds the chardev; a monitor's chardev is always held by its monitor. */
    private boolean held(String id) {
        return frontends.contains(id) || monitorOwns.test(id) || muxOn(id) != null;
    }

    /** {@code qemu_chr_is_busy}: held, or a mux (observed: even one without front ends cannot be removed). */
    private boolean busy(String id) {
        return held(id) || byId.get(id) instanceof MuxChardev;
    }

    private MuxChardev muxOn(String id) {
        for (Chardev chardev : byId.values()) {
            if (chardev instanceof MuxChardev mux && mux.baseId().equals(id)) {
                return mux;
            }
        }
        return null;
    }

    /** {@code qmp_chardev_add}: the id is checked first, then the backend is opened. */
    public synchronized ChardevReturn add(String id, org.jqmp.api.ChardevBackend backend,
                                          Function<String, OptionalInt> fds) {
        if (exists(id)) {
            throw QmpException.generic("Chardev with id '" + id + "' already exists");
        }
        try {
            Chardev chardev = create(id, backend, fds);
            byId.put(id, chardev);
            return new ChardevReturn(chardev instanceof PtyChardev pty ? pty.slave() : null);
        } catch (ChardevException e) {
            throw QmpException.generic("Failed to add chardev '" + id + "': " + e.getMessage());
        }
    }

    /**
     * {@code qmp_chardev_change} (7.2), in its order. A chardev without a front end is removed and added anew:
     * when the new backend fails, the old one is gone too (observed). A serial port moves to the new backend.
     */
    public synchronized ChardevReturn change(String id, org.jqmp.api.ChardevBackend backend,
                                             Function<String, OptionalInt> fds) {
        Chardev old = byId.get(id);
        if (old == null && !monitorOwns.test(id)) {
            throw QmpException.generic("Chardev '" + id + "' does not exist");
        }
        if (old instanceof MuxChardev) {
            throw QmpException.generic("Mux device hotswap not supported yet");
        }
        if (old == null || muxOn(id) != null) {
            throw QmpException.generic("Chardev user does not support chardev hotswap");
        }
        if (!frontends.contains(id)) {
            close(byId.remove(id));
            return add(id, backend, fds);
        }
        Chardev replacement;
        try {
            // opened before the old one closes, so that a failure leaves the serial port where it was
            replacement = create(id, backend, fds);
        } catch (ChardevException e) {
            throw QmpException.generic(e.getMessage()); // without chardev-add's prefix here (observed)
        }
        if (replacement instanceof SocketChardev) {
            old.close(); // the yank instance stays: the new socket registered the same id
        } else {
            close(old);
        }
        byId.put(id, replacement);
        return new ChardevReturn(replacement instanceof PtyChardev pty ? pty.slave() : null);
    }

    /**
     * A front end (a serial port) takes the chardev: {@code frontend-open} true, and it cannot be removed. On a
     * mux it is one more front end, and it takes the focus.
     */
    public synchronized Chardev attachFrontend(String id) {
        Chardev chardev = byId.get(id);
        if (chardev == null) {
            throw new ChardevException("chardev '" + id + "' not found");
        }
        if (chardev instanceof MuxChardev mux) {
            mux.attach(null); // its own port; the front end connects its receiver to it (connectInput)
        }
        frontends.add(id);
        return chardev;
    }

    /**
     * {@code -mon chardev=ID,mode=readline} (and {@code -monitor}): a human monitor. On a mux it shares the
     * chardev with the serial ports, and {@code Ctrl-A c} switches between them; on any other chardev it has it
     * to itself (a socket's every client, one at a time, is greeted with the banner and the prompt).
     *
     * @param commands runs one HMP command line and returns its output (the machine's human monitor)
     * @param version  QEMU's version for the banner ({@code 7.2.0})
     */
    public synchronized void attachHumanMonitor(String id, java.util.function.Function<String, String> commands,
                                                String version) {
        Chardev chardev = byId.get(id);
        if (chardev == null) {
            throw new ChardevException("chardev '" + id + "' not found");
        }
        HumanMonitorTerminal terminal = new HumanMonitorTerminal(commands, version);
        if (chardev instanceof MuxChardev mux) {
            terminal.attachTo(mux.attach(terminal));
        } else {
            terminal.attachTo(new HumanMonitorTerminal.Line() {
                @Override
                public void write(byte[] data) {
                    chardev.write(data);
                }

                @Override
                public void connectInput(Consumer<byte[]> receiver) {
                    chardev.connectInput(receiver);
                }
            });
            // the monitor has the chardev to itself: each peer of a socket opens it (one at a time, as QEMU
            // serves one client per socket chardev); any other backend is open from start-up on
            if (chardev instanceof SocketChardev socket) {
                socket.onOpen(() -> terminal.opened(socket.connections()));
            }
            ownTerminals.add(terminal);
            ownTerminalChardevs.add(chardev);
            if (started) {
                openOwn(terminal, chardev);
            }
        }
        frontends.add(id);
    }

    /** A monitor on a chardev of its own at start-up: a peer that came earlier (or any other backend) opens it. */
    private static void openOwn(HumanMonitorTerminal terminal, Chardev chardev) {
        if (!(chardev instanceof SocketChardev socket)) {
            terminal.opened(1);
        } else if (socket.connections() > 0) {
            terminal.opened(socket.connections());
        }
    }

    /**
     * {@code -mon chardev=ID,mode=control} on a mux: QMP shares the chardev with the serial ports; each time the
     * base opens a session starts on it ({@code sessions}, the QMP server's).
     */
    public synchronized void attachQmp(String id, QmpSessions sessions) {
        if (!(byId.get(id) instanceof MuxChardev mux)) {
            throw new ChardevException("jqmp serves QMP on a machine chardev only through a mux (mux=on): '" + id
                    + "' is not one");
        }
        QmpOnMux qmp = new QmpOnMux(sessions);
        qmp.attachTo(mux.attach(qmp));
        frontends.add(id);
    }

    /** Start-up is over ({@code muxes_opened}): every mux tells its front ends that it is open. */
    public void muxesOpened() {
        List<MuxChardev> muxes = new ArrayList<>();
        synchronized (this) {
            byId.values().forEach(c -> {
                if (c instanceof MuxChardev mux) {
                    muxes.add(mux);
                }
            });
        }
        List<HumanMonitorTerminal> terminals;
        List<Chardev> terminalChardevs;
        synchronized (this) {
            started = true;
            terminals = List.copyOf(ownTerminals);
            terminalChardevs = List.copyOf(ownTerminalChardevs);
        }
        muxes.forEach(MuxChardev::startUp);
        for (int i = 0; i < terminals.size(); i++) {
            openOwn(terminals.get(i), terminalChardevs.get(i));
        }
    }

    /** The machine's chardev with this id, if any (a monitor's is not here). */
    public synchronized java.util.Optional<Chardev> find(String id) {
        return java.util.Optional.ofNullable(byId.get(id));
    }

    /** A mux's base reports its front end open while the mux has one (observed: {@code ID-base} of mux=on). */
    public synchronized List<ChardevInfo> infos() {
        List<ChardevInfo> infos = new ArrayList<>();
        byId.values().forEach(c -> infos.add(new ChardevInfo(c.id(), c.filename(), frontendOpen(c.id()))));
        return infos;
    }

    private boolean frontendOpen(String id) {
        MuxChardev mux = muxOn(id);
        return frontends.contains(id) || mux != null && frontendOpen(mux.id());
    }

    /** {@code qmp_chardev_remove}. */
    public synchronized void remove(String id) {
        if (busy(id)) {
            throw QmpException.generic("Chardev '" + id + "' is busy");
        }
        Chardev chardev = byId.remove(id);
        if (chardev == null) {
            throw QmpException.generic("Chardev '" + id + "' not found");
        }
        close(chardev);
    }

    private void close(Chardev chardev) {
        chardev.close();
        if (chardev instanceof SocketChardev) {
            yank.unregister(chardev.id());
        }
    }

    /**
     * {@code add_client} ({@code qmp_add_client}, 7.2): the fd is taken first, then the protocol decides. A
     * chardev's name attaches the connected socket to a disconnected socket chardev as its peer. The fd is
     * consumed whatever happens. jqmp has no display: SPICE and D-Bus are not in use, and a VNC client is
     * dropped, as QEMU 7.2 with {@code -display none} does (observed: it answers {}).
     */
    public void addClient(String protocol, String fdname, Function<String, OptionalInt> fds) {
        int fd = fds.apply(fdname).orElseThrow(() ->
                QmpException.generic("File descriptor named '" + fdname + "' has not been found"));
        Chardev chardev;
        synchronized (this) {
            chardev = byId.get(protocol);
        }
        if (chardev instanceof SocketChardev socket && !protocol.equals("vnc") && !protocol.equals("spice")) {
            if (!socket.addClient(fd)) {
                throw QmpException.generic("failed to add client");
            }
            return;
        }
        NativeSocket.closeQuietly(fd);
        switch (protocol) {
            case "spice" -> throw new QmpException(ErrorClass.DeviceNotActive, "SPICE is not in use");
            case "vnc" -> { }
            case "@dbus-display" -> throw new QmpException(ErrorClass.DeviceNotActive,
                    "D-Bus display is not in use");
            default -> {
                if (chardev != null || monitorOwns.test(protocol)) {
                    // qemu_chr_add_client fails for any other backend; a monitor's socket is connected (to the
                    // client that sent this, at least), where QEMU refuses alike
                    throw QmpException.generic("failed to add client");
                }
                throw QmpException.generic("protocol '" + protocol + "' is invalid");
            }
        }
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
        byId.values().forEach(this::close);
        byId.clear();
    }
}
