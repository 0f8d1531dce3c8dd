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
            WireReader in = new WireReader(channel);
            OptionHaggling.Negotiated n = handshake(in);
            if (n == null) {
                endReason = "client aborted the handshake";
                return;
            }
            t = new Transmission(in, new ReplySender(channel), n, limits, name);
            Transmission.End end = t.run();
            endReason = end == Transmission.End.DISCONNECT ? "client disconnected" : t.protocolError();
            if (end == Transmission.End.DISCONNECT) {
                t.awaitInFlightFor(DRAIN_SECONDS, TimeUnit.SECONDS);
            }
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
