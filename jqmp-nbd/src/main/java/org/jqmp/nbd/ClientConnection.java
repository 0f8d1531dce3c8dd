package org.jqmp.nbd;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client, from accept to close, on its own virtual thread: the handshake (bounded by
 * {@link NbdLimits#handshakeTimeout()}), then transmission. Whatever ends it - NBD_CMD_DISC, a protocol error,
 * the client vanishing, a hard export removal, the server closing - the socket is closed, every request already
 * dispatched has finished, and the server is told, in that order.
 */
final class ClientConnection implements Runnable {
    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());
    /** After NBD_CMD_DISC, how long replies still owed may take before the socket is closed anyway. */
    private static final long DRAIN_SECONDS = 10;

    private final NbdServer server;
    private final SocketChannel channel;
    private final String name;
    private final NbdLimits limits;
    private volatile NbdExport export;
    private volatile String endReason = "open";

    ClientConnection(NbdServer server, SocketChannel channel, String name, NbdLimits limits) {
        this.server = server;
        this.channel = channel;
        this.name = name;
        this.limits = limits;
    }

    String name() {
        return name;
    }

    /** The export this client is in transmission on, or null during the handshake. */
    NbdExport export() {
        return export;
    }

    /** Called by the server, under its lock, when the handshake enters this client on an export. */
    void attached(NbdExport e) {
        export = e;
    }

    /** Why the connection ended ("open" while it runs); for logs and tests. */
    String endReason() {
        return endReason;
    }

    @Override
    public void run() {
        Transmission t = null;
        try {
            tune();
            WireReader in = new WireReader(channel);
            OptionHaggling.Negotiated n = handshake(in);
            if (n == null) {
                endReason = "client aborted the handshake";
                return;
            }
            t = new Transmission(in, new ReplySender(channel), n, limits, name);
            transmit(t);
        } catch (OptionHaggling.Dropped e) {
            endReason = e.getMessage();
        } catch (IOException e) {
            endReason = "connection lost: " + e;
        } catch (InterruptedException e) {
            endReason = "interrupted";
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            endReason = "internal error: " + e;
            LOG.log(System.Logger.Level.WARNING, "NBD client " + name + ": " + e, e);
        } finally {
            kill();
            awaitQuietly(t);
            LOG.log(System.Logger.Level.DEBUG, () -> "NBD client " + name + " closed: " + endReason);
            server.detach(this);
        }
    }

    /**
     * TCP: no Nagle delay for small replies. Send buffer: room for a whole 256 KiB read reply (nbdcopy's request
     * size), so it leaves in one write instead of two with a wait for the poller between them (Linux's default
     * for a Unix socket is 208 KiB; strace -c of a 1 GiB nbdcopy out: 45% fewer writev calls).
     */
    private void tune() throws IOException {
        if (!(channel.getLocalAddress() instanceof java.net.UnixDomainSocketAddress)) {
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        }
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
    }

    private static final int SEND_BUFFER = 1 << 20;

    private OptionHaggling.Negotiated handshake(WireReader in) throws IOException, OptionHaggling.Dropped {
        ScheduledFuture<?> timeout = server.timer().schedule(() -> {
            endReason = "handshake not finished within handshakeTimeout = " + limits.handshakeTimeout();
            kill();
        }, limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            return new OptionHaggling(channel, in, server.table(this), limits, name).run();
        } finally {
            timeout.cancel(false);
        }
    }

    /**
     * Runs the request loop on a platform thread while this virtual thread waits: the loop serves small reads
     * and writes itself, and file I/O on a virtual thread would make the scheduler compensate for the blocked
     * carrier on every request (Transmission). A client idle in the handshake costs no platform thread.
     */
    private void transmit(Transmission t) throws IOException, InterruptedException {
        Object[] outcome = new Object[1];
        Thread loop = Thread.ofPlatform().daemon().name("nbd " + name).start(() -> {
            try {
                outcome[0] = t.run();
            } catch (IOException | InterruptedException | RuntimeException e) {
                outcome[0] = e;
            }
        });
        loop.join();
        switch (outcome[0]) {
            case Transmission.End end -> {
                endReason = end == Transmission.End.DISCONNECT ? "client disconnected" : t.protocolError();
                if (end == Transmission.End.DISCONNECT) {
                    t.awaitInFlightFor(DRAIN_SECONDS, TimeUnit.SECONDS);
                }
            }
            case IOException e -> throw e;
            case InterruptedException e -> throw e;
            case RuntimeException e -> throw e;
            default -> throw new IllegalStateException("request loop ended without an outcome");
        }
    }

    private static void awaitQuietly(Transmission t) {
        if (t == null) {
            return;
        }
        try {
            t.awaitInFlight();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the socket: a blocked read or write fails at once, and the connection's thread winds down. */
    void kill() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is best effort; the descriptor is released either way
        }
    }
}
