package org.jqmp.machine.chardev;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.function.Consumer;

/**
 * QEMU's {@code socket} backend when no monitor sits on it ({@code chardev/char-socket.c}): one peer at a
 * time; output while no peer is connected is dropped, as QEMU drops it. A server takes the next client once
 * the current one has gone (QEMU stops listening meanwhile; later clients wait in the backlog). A client with
 * {@code reconnect=N} tries again every N seconds while it has no peer. {@code add_client} may hand a
 * disconnected chardev a connected socket. What the peer sends goes to the front end's receiver (the
 * simulated guest's console), or is discarded while there is none.
 */
final class SocketChardev implements Chardev {
    private final ChardevBackend.Socket backend;
    private final ServerSocketChannel listener;
    private final String filename;
    private final ChardevYank yank;
    private final Consumer<String> warnings;
    private final Object lock = new Object();
    /** The {@code logfile}: a copy of what the front end writes. */
    private volatile ChardevLog log = ChardevLog.NONE;
    private SocketPeer peer;
    /** The yank action of the current peer (yank finds it again by identity to remove it). */
    private Runnable peerYank;
    private boolean closed;
    /** Told when a peer connects ({@code CHR_EVENT_OPENED}): a mux on this chardev passes it on. */
    private volatile Runnable onOpen;
    /** How many peers this chardev has had: a mux tells one open from the next by it. */
    private long connections;
    /** Told when the peer is gone ({@code CHR_EVENT_CLOSED}). */
    private volatile Runnable onClose;
    /** The front end's receiver (the simulated guest's console); without one the peer's bytes are dropped. */
    private volatile Consumer<byte[]> input;

    private SocketChardev(ChardevBackend.Socket backend, ServerSocketChannel listener, String filename,
                          ChardevYank yank, Consumer<String> warnings) {
        this.backend = backend;
        this.listener = listener;
        this.filename = filename;
        this.yank = yank;
        this.warnings = warnings;
    }

    static SocketChardev open(ChardevBackend.Socket backend, ChardevYank yank, Consumer<String> warnings) {
        return backend.server() ? listen(backend, yank, warnings) : connect(backend, yank, warnings);
    }

    private static SocketChardev listen(ChardevBackend.Socket backend, ChardevYank yank, Consumer<String> warnings) {
        try {
            ServerSocketChannel listener;
            if (backend.address() instanceof UnixDomainSocketAddress unix) {
                Files.deleteIfExists(unix.getPath()); // socket_listen: unlink before bind
                listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            } else {
                listener = ServerSocketChannel.open();
                listener.socket().setReuseAddress(true);
            }
            listener.bind(backend.address());
            String filename = backend.filename();
            if (listener.getLocalAddress() instanceof InetSocketAddress bound) {
                // port 0: QEMU reports the port the kernel chose
                filename = filename.replaceFirst(":0,server=on$", ":" + bound.getPort() + ",server=on");
            }
            SocketChardev chardev = new SocketChardev(backend, listener, filename, yank, warnings);
            if (backend.waitForClient()) {
                chardev.attach(new SocketPeer.Channel(listener.accept()));
            }
            Thread.ofVirtual().name("chardev-" + backend.id() + "-accept").start(chardev::acceptLoop);
            return chardev;
        } catch (IOException e) {
            throw new ChardevException("Failed to bind socket to " + describe(backend.address()) + ": "
                    + FileChardev.reason(e));
        }
    }

    private static SocketChardev connect(ChardevBackend.Socket backend, ChardevYank yank, Consumer<String> warnings) {
        SocketChardev chardev = new SocketChardev(backend, null, backend.filename(), yank, warnings);
        try {
            chardev.attach(new SocketPeer.Channel(SocketChannel.open(backend.address())));
        } catch (IOException e) {
            String message = connectFailure(backend.address(), e);
            if (backend.reconnectSeconds() <= 0) {
                throw new ChardevException(message);
            }
            // tcp_chr_connect_client_async: the failure is reported, the chardev stays and tries again
            warnings.accept("Unable to connect character device " + backend.id() + ": " + message);
            chardev.reconnectLater();
        }
        return chardev;
    }

    private static String connectFailure(SocketAddress address, IOException e) {
        String reason = e.getMessage() != null && e.getMessage().contains("refused") ? "Connection refused"
                : FileChardev.reason(e);
        return "Failed to connect to '" + describe(address) + "': " + reason;
    }

    private static String describe(SocketAddress address) {
        return switch (address) {
            case UnixDomainSocketAddress unix -> unix.getPath().toString();
            case InetSocketAddress inet -> inet.getHostString() + ":" + inet.getPort();
            default -> address.toString();
        };
    }

    /** {@code add_client} ({@code tcp_chr_add_client}): only a disconnected chardev takes the socket. */
    boolean addClient(int fd) {
        NativeSocket socket;
        try {
            socket = NativeSocket.adopt(fd);
        } catch (IOException e) {
            return false;
        }
        SocketPeer.Native next = new SocketPeer.Native(socket);
        synchronized (lock) {
            if (peer != null || closed) {
                socket.close();
                return false;
            }
            register(next);
        }
        start(next);
        return true;
    }

    @Override
    public void connectInput(Consumer<byte[]> receiver) {
        input = receiver;
    }

    long connections() {
        synchronized (lock) {
            return connections;
        }
    }

    void onOpen(Runnable value) {
        onOpen = value;
    }

    void onClose(Runnable value) {
        onClose = value;
    }

    /** Makes {@code next} the peer and starts reading it; yank may break it from now on. */
    private void attach(SocketPeer next) {
        register(next);
        start(next);
    }

    /** The first half of {@link #attach}, for a caller that holds the lock while it decides. */
    private void register(SocketPeer next) {
        synchronized (lock) {
            peer = next;
            connections++;
            peerYank = next::shutdown;
            yank.addAction(backend.id(), peerYank);
        }
    }

    /**
     * The second half of {@link #attach}: the open is announced and reading starts, never under the lock (a mux
     * on top broadcasts the open and asks for {@link #connections()} from its own threads).
     */
    private void start(SocketPeer next) {
        Runnable opened = onOpen;
        if (opened != null) {
            opened.run();
        }
        Runnable reader = () -> read(next);
        if (next.blocksNatively()) {
            Thread.ofPlatform().daemon().name("chardev-" + backend.id()).start(reader);
        } else {
            Thread.ofVirtual().name("chardev-" + backend.id()).start(reader);
        }
    }

    private void read(SocketPeer current) {
        byte[] buffer = new byte[4096];
        try {
            int count;
            while ((count = current.read(buffer)) >= 0) {
                Consumer<byte[]> receiver = input;
                if (receiver != null && count > 0) {
                    receiver.accept(java.util.Arrays.copyOf(buffer, count));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer went away, or yank broke the connection
        } finally {
            detach(current);
        }
    }

    private void detach(SocketPeer current) {
        // the close is announced before the next client may attach (the accept loop waits for the peer to be
        // cleared): a CHR_EVENT_CLOSED that came after the next open would end the new connection's session
        current.close();
        Runnable gone = onClose;
        if (gone != null) {
            gone.run();
        }
        boolean reconnect;
        synchronized (lock) {
            if (peer == current) {
                yank.removeAction(backend.id(), peerYank);
                peer = null;
                peerYank = null;
            }
            lock.notifyAll();
            reconnect = listener == null && !closed && backend.reconnectSeconds() > 0;
        }
        if (reconnect) {
            reconnectLater();
        }
    }

    /** One client at a time: a client accepted while another is connected waits for it to go. */
    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            SocketPeer next;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // the listener was closed
            }
            synchronized (lock) {
                while (peer != null && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    new SocketPeer.Channel(client).close();
                    return;
                }
                next = new SocketPeer.Channel(client);
                register(next);
            }
            start(next);
        }
    }

    /** {@code reconnect=N}: wait N seconds, try once, repeat while there is no peer. */
    private void reconnectLater() {
        Thread.ofVirtual().name("chardev-" + backend.id() + "-reconnect").start(() -> {
            while (true) {
                try {
                    Thread.sleep(backend.reconnectSeconds() * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (lock) {
                    if (closed || peer != null) {
                        return;
                    }
                }
                try {
                    SocketChannel channel = SocketChannel.open(backend.address());
                    SocketPeer next = new SocketPeer.Channel(channel);
                    synchronized (lock) {
                        if (closed || peer != null) {
                            channel.close();
                            return;
                        }
                        register(next);
                    }
                    start(next);
                    return;
                } catch (IOException e) {
                    // still nobody there: QEMU retries quietly after its first report
                }
            }
        });
    }

    @Override
    public String id() {
        return backend.id();
    }

    /** QEMU's forms (observed on 7.2): disconnected, a Unix peer, a TCP peer ({@code qemu_chr_compute_filename}). */
    @Override
    public String filename() {
        SocketPeer current;
        synchronized (lock) {
            current = peer;
        }
        if (current == null) {
            return "disconnected:" + filename;
        }
        String server = backend.server() ? ",server=on" : "";
        try {
            if (current.local() instanceof InetSocketAddress local
                    && current.remote() instanceof InetSocketAddress remote) {
                return "tcp:" + host(local) + ":" + local.getPort() + server + " <-> " + host(remote) + ":"
                        + remote.getPort();
            }
            if (current instanceof SocketPeer.Channel && backend.server()) {
                return filename; // an accepted Unix peer: the listening path
            }
            String path = current.local() instanceof UnixDomainSocketAddress unix ? unix.getPath().toString() : "";
            return "unix:" + path + server;
        } catch (IOException | RuntimeException e) {
            return "disconnected:" + filename;
        }
    }

    private static String host(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void write(byte[] data) {
        log.write(data);
        SocketPeer current;
        synchronized (lock) {
            current = peer;
        }
        if (current == null) {
            return;
        }
        try {
            synchronized (this) {
                current.write(data);
            }
        } catch (IOException e) {
            // the peer went away; its reader notices and clears it
        }
    }

    @Override
    public void logTo(ChardevLog value) {
        log = value;
    }

    @Override
    public void close() {
        log.close();
        SocketPeer current;
        synchronized (lock) {
            closed = true;
            current = peer;
            lock.notifyAll();
        }
        try {
            if (listener != null) {
                listener.close();
                if (backend.address() instanceof UnixDomainSocketAddress unix) {
                    Files.deleteIfExists(unix.getPath());
                }
            }
        } catch (IOException e) {
            // closing anyway
        }
        if (current != null) {
            current.shutdown(); // its reader then closes it: a native descriptor must not close under a read
        }
    }
}
