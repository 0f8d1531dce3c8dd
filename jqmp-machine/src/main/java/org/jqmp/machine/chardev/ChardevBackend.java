package org.jqmp.machine.chardev;

import java.nio.file.Path;
import java.util.Objects;

/** What a {@code -chardev} asks for, before it is opened: one record per backend QEMU 7.2 knows. */
public sealed interface ChardevBackend {
    String id();

    /** {@code -chardev null}: writes vanish, nothing is ever read. */
    record Null(String id) implements ChardevBackend {
        public Null {
            Objects.requireNonNull(id, "id");
        }
    }

    /** {@code -chardev file,path=P[,append=on]}: the front end's output goes to a file. */
    record File(String id, Path path, boolean append) implements ChardevBackend {
        public File {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * {@code -chardev ringbuf,size=N} (or its old name {@code memory}): the last N bytes of output, read with
     * {@code ringbuf-read}. {@code name} is the backend name as given, which {@code query-chardev} reports.
     */
    record Ringbuf(String id, long size, String name) implements ChardevBackend {
        /** {@code CBUFF_SIZE} in QEMU's {@code chardev/char-ringbuf.c}. */
        public static final long DEFAULT_SIZE = 64 * 1024;

        public Ringbuf {
            Objects.requireNonNull(id, "id");
            if (!name.equals("ringbuf") && !name.equals("memory")) {
                throw new IllegalArgumentException("ringbuf backend name: " + name);
            }
        }
    }

    /**
     * {@code -chardev socket} that no monitor uses: a plain byte stream to one peer at a time.
     *
     * @param address  where to listen or connect ({@link java.net.UnixDomainSocketAddress} or
     *                 {@link java.net.InetSocketAddress})
     * @param server   listen ({@code server=on}) rather than connect
     * @param waitForClient a server waits for its first client before the machine starts ({@code wait=on})
     * @param filename QEMU's {@code query-chardev} form of the address, e.g. {@code unix:/tmp/s,server=on}
     * @param reconnectSeconds a client's seconds between attempts while it has no peer; 0: fail at once
     */
    record Socket(String id, java.net.SocketAddress address, boolean server, boolean waitForClient, String filename,
                  int reconnectSeconds) implements ChardevBackend {
        public Socket {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(filename, "filename");
            if (reconnectSeconds < 0) {
                throw new IllegalArgumentException("reconnect seconds: " + reconnectSeconds);
            }
        }

        public Socket(String id, java.net.SocketAddress address, boolean server, boolean waitForClient,
                      String filename) {
            this(id, address, server, waitForClient, filename, 0);
        }
    }

    /**
     * {@code -chardev stdio} under a mux ({@code -serial mon:stdio}): the process's standard input and output,
     * a terminal in raw mode; {@code signal} keeps Ctrl-C a signal.
     */
    record Stdio(String id, boolean signal) implements ChardevBackend {
        public Stdio {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * {@code -chardev ...,mux=on} or chardev-add's {@code mux}: several front ends (serial ports, monitors)
     * share the chardev {@code base}; the mux itself is what they attach to.
     */
    record Mux(String id, String base) implements ChardevBackend {
        public Mux {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(base, "base");
        }
    }

    /** {@code -chardev pty}: a new pseudo-terminal whose slave a person opens (QEMU prints its name). */
    record Pty(String id) implements ChardevBackend {
        public Pty {
            Objects.requireNonNull(id, "id");
        }
    }
}
