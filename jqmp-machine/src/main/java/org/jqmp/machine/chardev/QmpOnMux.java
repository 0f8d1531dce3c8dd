package org.jqmp.machine.chardev;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A QMP monitor on a mux ({@code monitor_init_qmp} on a mux chardev): every time the base opens (a peer
 * connects) a new session starts and greets, as QEMU 7.2 does (observed: the greeting comes whatever has the
 * focus); it reads only what the mux hands over while it has the focus, and ends when the base closes.
 */
final class QmpOnMux implements MuxChardev.FocusListener {
    private final QmpSessions sessions;
    private MuxChardev.Port port;
    private Input current;

    QmpOnMux(QmpSessions sessions) {
        this.sessions = sessions;
    }

    synchronized void attachTo(MuxChardev.Port value) {
        port = value;
        value.connectInput(this::received);
    }

    /** {@code CHR_EVENT_OPENED}: the previous session (if any) ends, a new one starts. */
    @Override
    public void opened(long connection) {
        Input input;
        synchronized (this) {
            end();
            current = input = new Input();
        }
        MuxChardev.Port out = port;
        // a session speaks only to the peer it was opened for: one opened while no peer was there (start-up, 0)
        // says nothing, and one a newer connection replaced cannot greet that connection a second time
        sessions.serve(input, new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (connection > 0 && out.baseConnection() == connection && isCurrent(input)) {
                    out.write(Arrays.copyOfRange(b, off, off + len));
                }
            }
        });
    }

    private synchronized boolean isCurrent(Input input) {
        return current == input;
    }

    /** {@code CHR_EVENT_CLOSED}: the peer went away, and with it the session. */
    @Override
    public synchronized void closed() {
        end();
    }

    @Override
    public void focusChanged(boolean focused) {
        // QMP reacts to no focus event; the mux simply stops handing it bytes
    }

    private synchronized void received(byte[] data) {
        if (current != null) {
            current.add(data);
        }
    }

    private void end() {
        if (current != null) {
            current.finish();
            current = null;
        }
    }

    /** What the mux handed over, in order, for the session's reader; end of file once finished. */
    private static final class Input extends InputStream {
        private static final byte[] END = new byte[0];
        private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private byte[] chunk = new byte[0];
        private int offset;
        private boolean ended;

        void add(byte[] data) {
            if (data.length > 0) {
                chunks.add(data);
            }
        }

        void finish() {
            chunks.add(END);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] buffer, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (offset == chunk.length) {
                if (ended) {
                    return -1;
                }
                try {
                    chunk = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                offset = 0;
                ended = chunk == END;
            }
            int n = Math.min(len, chunk.length - offset);
            System.arraycopy(chunk, offset, buffer, off, n);
            offset += n;
            return n;
        }

        @Override
        public void close() {
            finish();
        }
    }
}
