package org.jqmp.nbd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An NBD server on one listening socket (Unix or TCP), serving any number of exports (what {@code qemu-nbd} and
 * QMP's {@code nbd-server-start} provide). Each client gets a virtual thread for its handshake and a platform
 * thread for transmission (see {@link Transmission} for why). Thread-safe.
 *
 * <p>Exports come and go while clients are connected: {@link #removeExport} hides an export from new clients at
 * once; a safe removal lets its clients finish, a hard one disconnects them. When the last client of a removed
 * export has left, the export is gone and {@link NbdServerOptions#exportDeleted()} is called (QEMU's
 * BLOCK_EXPORT_DELETED moment). {@link #close()} disconnects everyone and deletes every export.
 */
public final class NbdServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NbdServer.class.getName());

    private final ServerSocketChannel listener;
    private final SocketAddress address;
    private final NbdServerOptions options;
    private final Semaphore slots;
    private final ScheduledExecutorService timer;
    private final Map<String, ExportEntry> entries = new LinkedHashMap<>();
    private final Set<ClientConnection> clients = new LinkedHashSet<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger clientIds = new AtomicInteger();
    private final CountDownLatch lastClientGone = new CountDownLatch(1);
    private final Thread acceptor;
    private boolean everConnected;
    private boolean closed;

    private static final class ExportEntry {
        final NbdExport export;
        final Set<ClientConnection> clients = new LinkedHashSet<>();
        final FlushBatch flushes;
        boolean removing;

        ExportEntry(NbdExport export) {
            this.export = export;
            this.flushes = new FlushBatch(export.node());
        }
    }

    private NbdServer(ServerSocketChannel listener, NbdServerOptions options) throws IOException {
        this.listener = listener;
        this.address = listener.getLocalAddress();
        this.options = options;
        this.slots = options.maxConnections() > 0 ? new Semaphore(options.maxConnections()) : null;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nbd-handshake-timer");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = Thread.ofVirtual().name("nbd-accept " + address).unstarted(this::acceptLoop);
    }

    /**
     * Listens on {@code address}: a {@link UnixDomainSocketAddress} (an existing socket file there is replaced,
     * as QEMU does) or an {@link InetSocketAddress} (port 0 picks a free port; see {@link #address()}).
     */
    public static NbdServer start(SocketAddress address, NbdServerOptions options) {
        ServerSocketChannel ch = null;
        try {
            if (address instanceof UnixDomainSocketAddress u) {
                Files.deleteIfExists(u.getPath());
                ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            } else {
                ch = ServerSocketChannel.open();
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            ch.bind(address, 64);
            NbdServer s = new NbdServer(ch, options == null ? NbdServerOptions.defaults() : options);
            s.acceptor.start();
            return s;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new NbdException(String.valueOf(address), "Failed to listen: " + e.getMessage(), e);
        }
    }

    /** Where the server listens (with the real port for TCP port 0). */
    public SocketAddress address() {
        return address;
    }

    /** Offers an export; its name must not be in use (also not by one being removed). */
    public void addExport(NbdExport export) {
        synchronized (this) {
            if (closed) {
                throw new NbdException("export '" + export.name() + "'", "the NBD server is closed");
            }
            if (entries.containsKey(export.name())) {
                throw new NbdException("export '" + export.name() + "'",
                        "NBD server already has export named '" + export.name() + "'");
            }
            entries.put(export.name(), new ExportEntry(export));
        }
    }

    /**
     * Removes an export: new clients no longer see it at once. {@code hard} disconnects its clients now;
     * otherwise they finish as they please. Either way the export-deleted callback runs when the last one
     * has left (at once without clients).
     *
     * @throws NbdException when there is no such export (or its removal is already under way)
     */
    public void removeExport(String name, boolean hard) {
        List<ClientConnection> kill;
        ExportEntry gone = null;
        synchronized (this) {
            ExportEntry e = entries.get(name);
            if (e == null || (e.removing && !hard)) {
                throw new NbdException("export '" + name + "'", "Export '" + name + "' is not found");
            }
            e.removing = true;
            kill = hard ? List.copyOf(e.clients) : List.of();
            if (e.clients.isEmpty()) {
                entries.remove(name);
                gone = e;
            }
        }
        kill.forEach(ClientConnection::kill);
        if (gone != null) {
            deleted(gone.export);
        }
    }

    /** Every export still known, including those being removed, in the order they were added. */
    public synchronized List<NbdExportState> exports() {
        return entries.values().stream()
                .map(e -> new NbdExportState(e.export, e.clients.size(), e.removing)).toList();
    }

    /** Clients in transmission on the export {@code name}; 0 for an unknown name. */
    public synchronized int connections(String name) {
        ExportEntry e = entries.get(name);
        return e == null ? 0 : e.clients.size();
    }

    /** Every connected client (in the handshake or in transmission). */
    public synchronized int clientCount() {
        return clients.size();
    }

    /**
     * Blocks until a first client has come and every client has gone again (qemu-nbd without {@code -t}
     * stops then), or the server closes.
     */
    public void awaitLastClientGone() throws InterruptedException {
        lastClientGone.await();
    }

    /** Stops listening, disconnects every client, waits for their threads, and deletes every export. */
    @Override
    public void close() {
        List<ClientConnection> kill;
        List<Thread> wait;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            kill = List.copyOf(clients);
            wait = List.copyOf(threads);
        }
        closeQuietly(listener);
        kill.forEach(ClientConnection::kill);
        joinAll(wait);
        acceptor.interrupt();
        joinAll(List.of(acceptor));
        List<ExportEntry> left;
        synchronized (this) {
            left = List.copyOf(entries.values());
            entries.clear();
        }
        left.forEach(e -> deleted(e.export));
        timer.shutdownNow();
        if (address instanceof UnixDomainSocketAddress u) {
            try {
                Files.deleteIfExists(u.getPath());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove socket " + u.getPath() + ": " + e);
            }
        }
        lastClientGone.countDown();
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel ch;
            try {
                if (slots != null) {
                    slots.acquire();
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                ch = listener.accept();
            } catch (IOException e) {
                if (slots != null) {
                    slots.release();
                }
                if (!listener.isOpen() || !pauseAfter(e)) {
                    return;
                }
                continue;
            }
            if (!register(ch)) {
                return;
            }
        }
    }

    /** After a failed accept (for example EMFILE) on an open listener: wait a little, then go on. */
    private static boolean pauseAfter(IOException e) {
        LOG.log(System.Logger.Level.WARNING, "NBD server: accept failed: " + e);
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException ie) {
            return false;
        }
    }

    /** Starts the client's thread; false when the server is closing. A client gone already is just closed. */
    private boolean register(SocketChannel ch) {
        String who = "client #" + clientIds.incrementAndGet();
        ClientConnection c = new ClientConnection(this, ch, who, options.limits());
        synchronized (this) {
            if (closed) {
                closeQuietly(ch);
                return false;
            }
            clients.add(c);
            everConnected = true;
            threads.removeIf(t -> !t.isAlive());
            threads.add(Thread.ofVirtual().name("nbd " + who).start(c));
        }
        return true;
    }

    OptionHaggling.ExportTable table(ClientConnection client) {
        return new OptionHaggling.ExportTable() {
            @Override
            public NbdExport find(String name) {
                synchronized (NbdServer.this) {
                    ExportEntry e = entries.get(name);
                    return e == null || e.removing ? null : e.export;
                }
            }

            @Override
            public List<NbdExport> listed() {
                synchronized (NbdServer.this) {
                    return entries.values().stream().filter(e -> !e.removing).map(e -> e.export).toList();
                }
            }

            @Override
            public FlushBatch attach(NbdExport export) {
                return NbdServer.this.attach(client, export);
            }
        };
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * A client enters transmission on {@code export}: returns the export's shared flushes, or null when the
     * export went away meanwhile.
     */
    synchronized FlushBatch attach(ClientConnection c, NbdExport export) {
        ExportEntry e = entries.get(export.name());
        if (closed || e == null || e.removing || e.export != export) {
            return null;
        }
        e.clients.add(c);
        c.attached(export);
        return e.flushes;
    }

    /** The client's thread is done: its socket is closed and none of its requests still runs. */
    void detach(ClientConnection c) {
        ExportEntry gone = null;
        boolean idle;
        synchronized (this) {
            clients.remove(c);
            NbdExport x = c.export();
            ExportEntry e = x == null ? null : entries.get(x.name());
            if (e != null && e.clients.remove(c) && e.removing && e.clients.isEmpty()) {
                entries.remove(x.name());
                gone = e;
            }
            idle = everConnected && clients.isEmpty();
        }
        if (slots != null) {
            slots.release();
        }
        if (gone != null) {
            deleted(gone.export);
        }
        if (idle) {
            lastClientGone.countDown();
        }
    }

    private void deleted(NbdExport export) {
        try {
            options.exportDeleted().accept(export);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "export-deleted callback failed for '" + export.name() + "'", e);
        }
    }

    private static void joinAll(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(java.nio.channels.Channel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to do with a listener that cannot close
        }
    }
}
