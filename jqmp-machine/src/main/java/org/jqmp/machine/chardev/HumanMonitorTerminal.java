package org.jqmp.machine.chardev;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A human monitor (HMP) on a chardev: QEMU's line editor ({@code util/readline.c}) and the monitor's reaction to
 * its chardev's open events and, on a mux, focus events ({@code monitor_event} in {@code monitor/hmp.c}), so that
 * a terminal sees the same bytes as from QEMU 7.2: the banner, the {@code (qemu) } prompt, the line redrawn after
 * every key, and on a mux nothing from the monitor while the serial port has the focus (its output waits until
 * the monitor has the focus again).
 *
 * <p>Lines are edited as QEMU's readline edits them ({@link LineEditor}).
 */
final class HumanMonitorTerminal implements MuxChardev.FocusListener {
    /** Where the monitor writes, and how it is handed what is typed: a mux's port, or a chardev of its own. */
    interface Line {
        void write(byte[] data);

        void connectInput(java.util.function.Consumer<byte[]> receiver);
    }

    /** QEMU's {@code READLINE_CMD_BUF_SIZE}: longer lines are cut. */
    private static final String PROMPT = "(qemu) ";
    private static final java.util.Set<String> QUIT = java.util.Set.of("quit", "q");

    private final Function<String, String> commands;
    private final String banner;
    private final LineEditor editor = new LineEditor();
    private final StringBuilder pending = new StringBuilder();
    private Line port;
    private boolean muxOut;
    private boolean resetSeen;
    private int suspended;
    /** The base connection of the last open (0: start-up, before any peer). */
    private long lastOpened = -1;

    /**
     * @param commands runs one HMP command line and returns its output ({@code human-monitor-command})
     * @param version  QEMU's version triple for the banner, e.g. {@code 7.2.0}
     */
    HumanMonitorTerminal(Function<String, String> commands, String version) {
        this.commands = commands;
        this.banner = "QEMU " + version + " monitor - type 'help' for more information\n";
    }

    synchronized void attachTo(Line value) {
        this.port = value;
        value.connectInput(this::typed);
    }

    /**
     * {@code CHR_EVENT_OPENED}: the banner; the prompt too when the monitor has the focus. A chardev of its own
     * may announce one peer twice (start-up and the peer's arrival race), so a repeated connection is dropped.
     */
    @Override
    public synchronized void opened(long connection) {
        if (connection > 0 && connection == lastOpened) {
            return;
        }
        lastOpened = connection;
        print(banner);
        if (!muxOut) {
            restart();
            print(PROMPT);
        }
        resetSeen = true;
        flush();
    }

    /** {@code CHR_EVENT_MUX_IN} and {@code CHR_EVENT_MUX_OUT}. */
    @Override
    public synchronized void focusChanged(boolean focused) {
        if (focused) {
            muxOut = false;
            if (resetSeen) {
                restart();
                resume();
            } else {
                suspended = 0;
            }
            flush();
        } else {
            if (resetSeen) {
                if (suspended == 0) {
                    print("\n");
                }
                flush();
                suspended++;
            } else {
                suspended++;
            }
            muxOut = true;
        }
    }

    /** {@code monitor_resume}: the prompt returns once nothing holds the monitor. */
    private void resume() {
        if (suspended > 0 && --suspended == 0) {
            print(PROMPT);
        }
    }

    private void restart() {
        editor.restart();
    }

    /** {@code readline_handle_byte} for each byte the mux hands over while the monitor has the focus. */
    private synchronized void typed(byte[] data) {
        for (byte b : data) {
            key(b & 0xff);
        }
        flush();
    }

    private void key(int b) {
        StringBuilder screen = new StringBuilder();
        String done = editor.key(b, screen);
        print(screen.toString());
        if (done != null) {
            enter(done);
        }
    }

    private void enter(String command) {
        print("\n");
        if (!command.isBlank()) {
            pending.append(commands.apply(command));
        }
        // hmp_quit suspends the monitor before the process ends: no prompt follows a quit
        if (!QUIT.contains(command.strip())) {
            print(PROMPT);
        }
    }

    /** {@code monitor_puts}: a newline goes out as CR LF. */
    private void print(String text) {
        pending.append(text.replace("\r\n", "\n").replace("\n", "\r\n"));
    }

    /** {@code monitor_flush}: nothing leaves while the serial port has the focus. */
    private void flush() {
        if (!muxOut && !pending.isEmpty() && port != null) {
            port.write(pending.toString().getBytes(StandardCharsets.ISO_8859_1));
            pending.setLength(0);
        }
    }
}
