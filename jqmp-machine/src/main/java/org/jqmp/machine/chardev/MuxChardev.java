package org.jqmp.machine.chardev;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * QEMU's {@code mux} ({@code chardev/char-mux.c}): several front ends (serial ports, a human monitor) share one
 * base chardev. Everything a front end writes goes to the base; what the base receives goes to the front end
 * that has the focus. The last front end attached takes the focus (observed on 7.2: with a monitor and a
 * serial port, the serial port has it); {@code Ctrl-A c} passes it on. The base counts as in use for as long
 * as the mux exists; {@code query-chardev} calls the mux {@code mux}.
 */
final class MuxChardev implements Chardev {
    /** {@code mux_chr_process_byte}'s escape: Ctrl-A. */
    static final byte ESCAPE = 0x01;
    /** QEMU's {@code MAX_MUX}. */
    static final int MAX_FRONT_ENDS = 4;
    private static final String HELP = "\n\rC-a h    print this help\n\rC-a x    exit emulator\n\r"
            + "C-a s    save disk data back to file (if -snapshot)\n\rC-a t    toggle console timestamps\n\r"
            + "C-a b    send break (magic sysrq)\n\rC-a c    switch between console and monitor\n\r"
            + "C-a C-a  sends C-a\n\r";

    private final String id;
    /** The {@code logfile}: a copy of what the front end writes. */
    private volatile ChardevLog log = ChardevLog.NONE;
    private final Chardev base;
    private final List<Port> ports = new ArrayList<>();
    private final Runnable terminate;
    private int focus = -1;
    private boolean escaped;
    private volatile boolean started;
    private final Object broadcasting = new Object();
    /** The base connection the last OPENED broadcast was for (-1: none yet). */
    private long broadcastFor = -1;

    /**
     * @param terminate what {@code Ctrl-A x} does once QEMU's farewell is written (end the process)
     */
    MuxChardev(String id, Chardev base, Runnable terminate) {
        this.id = id;
        this.base = base;
        this.terminate = terminate;
        base.connectInput(this::received);
        if (base instanceof SocketChardev socket) {
            socket.onOpen(this::baseOpened); // a peer connected: CHR_EVENT_OPENED to every front end
            socket.onClose(this::closed);
        }
    }

    /** {@code CHR_EVENT_CLOSED}: the base's peer went away. */
    void closed() {
        if (!started) {
            return;
        }
        List<Port> all;
        synchronized (this) {
            all = List.copyOf(ports);
        }
        all.forEach(port -> {
            if (port.listener != null) {
                port.listener.closed();
            }
        });
    }

    /**
     * {@code muxes_opened}: start-up is over, every front end is attached; from now on the mux passes its base's
     * events on (before, QEMU drops them: a peer that connects early sees one open, not two).
     */
    void startUp() {
        started = true;
        broadcastOpened();
    }

    /**
     * The base's peer connected: {@code CHR_EVENT_OPENED}, only after start-up (which announces a peer that came
     * earlier), and once per connection ({@link #broadcastOpened}).
     */
    private void baseOpened() {
        if (started) {
            broadcastOpened();
        }
    }

    private long connections() {
        return base instanceof SocketChardev socket ? socket.connections() : 0;
    }

    /**
     * {@code mux_chr_send_all_event(CHR_EVENT_OPENED)}, once per connection of the base: start-up and a peer's
     * arrival can race (start-up reads the connection count, the peer attaches, both broadcast), so the
     * broadcasts are serialised and one for a connection that already had its open is dropped - otherwise a QMP
     * monitor on the mux would greet twice. Front ends learn which connection the open is for (0: none yet; a
     * human monitor without the focus keeps its banner for later, QMP's greeting to nobody is dropped).
     */
    private void broadcastOpened() {
        synchronized (broadcasting) {
            long now = connections();
            if (now > 0 && now == broadcastFor) {
                return;
            }
            broadcastFor = now;
            List<Port> all;
            synchronized (this) {
                all = List.copyOf(ports);
            }
            all.forEach(port -> port.opened(now));
        }
    }

    @Override
    public String id() {
        return id;
    }

    String baseId() {
        return base.id();
    }

    @Override
    public String filename() {
        return "mux";
    }

    /** Output of the mux as a whole (no front end): straight to the base. */
    @Override
    public void write(byte[] data) {
        log.write(data);
        base.write(data);
    }

    /**
     * A front end that holds the mux as a plain chardev (the simulated guest on a serial port) receives through
     * the first port that is not a monitor's; one is attached if there is none.
     */
    @Override
    public synchronized void connectInput(Consumer<byte[]> receiver) {
        Port serial = ports.stream().filter(p -> p.listener == null).findFirst().orElse(null);
        if (serial == null && receiver != null) {
            serial = attach(null);
        }
        if (serial != null) {
            serial.connectInput(receiver);
        }
    }

    /**
     * {@code qemu_chr_fe_init} on a mux: a new front end, which takes the focus. The serial side (no listener)
     * is one front end however often it is asked for: the machine hands the same chardev to the serial port and
     * to the guest behind it, which must not count twice.
     */
    synchronized Port attach(FocusListener listener) {
        if (listener == null) {
            for (Port port : ports) {
                if (port.listener == null) {
                    return port;
                }
            }
        }
        if (ports.size() >= MAX_FRONT_ENDS) {
            throw new ChardevException("Device '" + id + "' is in use"); // mux_cnt reached MAX_MUX
        }
        Port port = new Port(listener);
        ports.add(port);
        setFocus(ports.size() - 1);
        return port;
    }

    synchronized int frontEnds() {
        return ports.size();
    }

    private void setFocus(int next) {
        if (focus >= 0 && focus < ports.size()) {
            ports.get(focus).focusChanged(false);
        }
        focus = next;
        ports.get(focus).focusChanged(true);
    }

    /**
     * Ctrl-A c: the focus moves at once (the bytes after it go to the new focus), and the front ends hear of it in
     * turn with the bytes before it, as QEMU's one thread would: what was typed before reaches the old focus before
     * the monitor that gains the focus prints.
     */
    private void moveFocus(int next, List<Runnable> deliveries) {
        Port was = focus >= 0 && focus < ports.size() ? ports.get(focus) : null;
        Port now = ports.get(next);
        focus = next;
        if (was != null) {
            deliveries.add(() -> was.focusChanged(false));
        }
        deliveries.add(() -> now.focusChanged(true));
    }

    /** {@code mux_chr_read}/{@code mux_proc_byte}: escapes are the mux's, the rest goes to the focus. */
    private void received(byte[] data) {
        List<Runnable> deliveries = new ArrayList<>();
        synchronized (this) {
            int start = 0;
            for (int i = 0; i < data.length; i++) {
                if (escaped || data[i] == ESCAPE) {
                    flush(deliveries, data, start, i);
                    start = i + 1;
                    if (escaped) {
                        escaped = false;
                        escape(data[i], deliveries);
                    } else {
                        escaped = true;
                    }
                }
            }
            flush(deliveries, data, start, data.length);
        }
        deliveries.forEach(Runnable::run);
    }

    private void flush(List<Runnable> deliveries, byte[] data, int from, int to) {
        if (to > from && focus >= 0) {
            byte[] part = java.util.Arrays.copyOfRange(data, from, to);
            Port target = ports.get(focus);
            deliveries.add(() -> target.deliver(part));
        }
    }

    /** {@code mux_proc_byte} after Ctrl-A. */
    private void escape(byte command, List<Runnable> deliveries) {
        switch (command) {
            case 'h', '?' -> deliveries.add(() -> base.write(HELP.getBytes(StandardCharsets.US_ASCII)));
            case 'x' -> deliveries.add(() -> {
                base.write("QEMU: Terminated\n\r".getBytes(StandardCharsets.US_ASCII));
                terminate.run();
            });
            case 'c' -> {
                if (!ports.isEmpty()) {
                    moveFocus((focus + 1) % ports.size(), deliveries);
                }
            }
            case ESCAPE -> flush(deliveries, new byte[] {ESCAPE}, 0, 1);
            default -> { } // s (save disks), b (break), t (timestamps): nothing jqmp does; others are dropped
        }
    }

    /** The base stays: it is a chardev of its own, removed on its own. */
    @Override
    public void logTo(ChardevLog value) {
        log = value;
    }

    @Override
    public void close() {
        log.close();
        base.connectInput(null);
        if (base instanceof SocketChardev socket) {
            socket.onOpen(null);
            socket.onClose(null);
        }
    }

    /** What a front end learns about the focus ({@code CHR_EVENT_MUX_IN}, {@code CHR_EVENT_MUX_OUT}). */
    interface FocusListener {
        void focusChanged(boolean focused);

        /** {@code CHR_EVENT_OPENED} for the base's {@code connection}-th peer (1 for the first). */
        default void opened(long connection) {
        }

        /** {@code CHR_EVENT_CLOSED}. */
        default void closed() {
        }
    }

    /** One front end's view of the mux: its writes go to the base, it receives while it has the focus. */
    final class Port implements HumanMonitorTerminal.Line {
        private final FocusListener listener;
        private volatile Consumer<byte[]> receiver;

        private Port(FocusListener listener) {
            this.listener = listener;
        }

        @Override
        public void write(byte[] data) {
            log.write(data);
            base.write(data);
        }

        /** Which connection of the base is current (0: none yet); a new peer makes it grow. */
        long baseConnection() {
            return connections();
        }

        @Override
        public void connectInput(Consumer<byte[]> value) {
            receiver = value;
        }

        private void deliver(byte[] data) {
            Consumer<byte[]> current = receiver;
            if (current != null) {
                current.accept(data);
            }
        }

        private void opened(long connection) {
            if (listener != null) {
                listener.opened(connection);
            }
        }

        private void focusChanged(boolean focused) {
            if (listener != null) {
                listener.focusChanged(focused);
            }
        }
    }
}
